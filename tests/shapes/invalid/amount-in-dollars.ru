# shape: bps:MonetaryAmountShape
# expect: an amount's currency must be CNY
DELETE { <project/2020/917-0101-YCN-8FBM#budget-total> schema:currency ?c } INSERT { <project/2020/917-0101-YCN-8FBM#budget-total> schema:currency "USD" }
WHERE { <project/2020/917-0101-YCN-8FBM#budget-total> schema:currency ?c }
