# shape: bps:IndicatorShape
# expect: the level-2 category must be a level-2 concept of the indicator scheme
# (level 1 removed too, so the hierarchy check has nothing to compare)
DELETE DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level1 bpc:output ; bp:level2 bpc:timeliness }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level2 bpc:output }
