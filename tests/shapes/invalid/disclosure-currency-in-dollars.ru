# shape: bps:DisclosureShape
# expect: the currency unit must be 元 or 万元
DELETE { <disclosure/917003/2020> bp:currencyUnit ?unit } INSERT { <disclosure/917003/2020> bp:currencyUnit "美元" } WHERE { <disclosure/917003/2020> bp:currencyUnit ?unit }
