# shape: bps:MonetaryAmountShape
# expect: an amount needs exactly one value (xsd:decimal)
# (a string, not a double: a double would also make the sum check warn)
DELETE { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value ?v } INSERT { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value "62.40" }
WHERE { <project/2020/917-0101-YCN-8FBM#fiscal-funds> schema:value ?v }
