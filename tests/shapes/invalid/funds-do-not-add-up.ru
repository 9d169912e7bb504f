# shape: bps:ProjectFundsShape
# severity: warning
# expect: fiscal funds plus other funds do not equal the budget total (60.40 + 0.0 ≠ 62.40)
DELETE { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value ?v } INSERT { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value 60.40 }
WHERE { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value ?v }
