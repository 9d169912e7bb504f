# shape: bps:QualityAnnotationShape
# expect: a finding must point at exactly one indicator, project or disclosure of the graph
DELETE DATA { <project/2020/917-0101-YCN-8FBM#finding-1> oa:hasTarget <project/2020/917-0101-YCN-8FBM#indicator-1> }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM#finding-1> oa:hasTarget <project/2020/917-0101-YCN-8FBM#indicator-99> }
