# shape: bps:ProjectShape
# expect: a project must belong to exactly one disclosure
DELETE DATA { <disclosure/917003/2020> bp:project <project/2020/917-0101-YCN-8FBM> }
