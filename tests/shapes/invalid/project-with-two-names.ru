# shape: bps:ProjectShape
# expect: a project needs exactly one non-empty name
INSERT DATA { <project/2020/917-0101-YCN-8FBM> schema:name "另一个名称"@zh }
