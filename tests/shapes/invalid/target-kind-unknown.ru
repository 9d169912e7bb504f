# shape: bps:TargetShape
# expect: the target kind must be quantitative, qualitative or missing
# (the value goes too, so only the kind is wrong)
DELETE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:targetKind ?k ; bp:value ?v }
INSERT { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:targetKind bp:Somewhat }
WHERE { <project/2020/917-0101-YCN-8FBM#indicator-2-target> bp:targetKind ?k ; bp:value ?v }
