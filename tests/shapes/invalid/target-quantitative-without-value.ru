# shape: bps:TargetValueShape
# expect: a quantitative target must have a value, and a target with a value must be quantitative
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:value ?v }
