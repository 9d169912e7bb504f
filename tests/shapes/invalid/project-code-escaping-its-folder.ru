# shape: bps:ProjectShape
# expect: a project needs exactly one project code (letters, digits, '.', '_', '-')
DELETE { <project/2020/917-0101-YCN-8FBM> bp:projectCode ?code } INSERT { <project/2020/917-0101-YCN-8FBM> bp:projectCode "../917" } WHERE { <project/2020/917-0101-YCN-8FBM> bp:projectCode ?code }
