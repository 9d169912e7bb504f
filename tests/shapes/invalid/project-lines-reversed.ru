# shape: bps:ProvenanceShape
# expect: exactly one first source line, a non-negative integer not after the last line
DELETE { <project/2020/917-0101-YCN-8FBM> bp:sourceFirstLine ?first } INSERT { <project/2020/917-0101-YCN-8FBM> bp:sourceFirstLine 300 } WHERE { <project/2020/917-0101-YCN-8FBM> bp:sourceFirstLine ?first }
