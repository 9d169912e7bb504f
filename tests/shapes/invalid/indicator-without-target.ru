# shape: bps:IndicatorShape
# expect: an indicator needs exactly one target (a bp:Target)
DELETE WHERE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> ?p ?o }
;
DELETE DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:target <project/2020/917-0101-YCN-8FBM#indicator-2-target> }
