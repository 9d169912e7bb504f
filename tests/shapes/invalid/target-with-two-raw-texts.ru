# shape: bps:TargetShape
# expect: a target needs exactly one text as written (possibly empty)
INSERT DATA { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:raw "≥95%" }
