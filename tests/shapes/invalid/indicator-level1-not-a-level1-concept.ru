# shape: bps:IndicatorShape
# expect: the level-1 category must be a level-1 concept of the indicator scheme
DELETE DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level1 bpc:output ; bp:level2 bpc:timeliness }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level1 bpc:quantity }
