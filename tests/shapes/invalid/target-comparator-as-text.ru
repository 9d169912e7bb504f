# shape: bps:TargetShape
# expect: at most one comparator, one of ≥ ≤ = > <
DELETE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:comparator ?c } INSERT { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:comparator ">=" }
WHERE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:comparator ?c }
