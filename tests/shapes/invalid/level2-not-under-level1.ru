# shape: bps:CategoryHierarchyShape
# severity: warning
# expect: the level-2 category social is not narrower than the level-1 category output
DELETE DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level2 bpc:timeliness }
;
INSERT DATA { <project/2020/917-0101-YCN-8FBM#indicator-2> bp:level2 bpc:social }
