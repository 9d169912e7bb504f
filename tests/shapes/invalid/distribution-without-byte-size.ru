# shape: bps:DistributionShape
# expect: a distribution needs exactly one byte size (xsd:nonNegativeInteger)
INSERT DATA { <dataset> dcat:distribution <dataset#distribution-data.ttl> .
    <dataset#distribution-data.ttl> a dcat:Distribution ; dcat:downloadURL <rdf/data.ttl> ;
        dcat:mediaType <https://www.iana.org/assignments/media-types/text/turtle> ;
        dcterms:license <https://spdx.org/licenses/CC-BY-4.0> ;
        spdx:checksum <dataset#distribution-data.ttl-checksum> .
    <dataset#distribution-data.ttl-checksum> a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
        spdx:checksumValue "4be1ac35163e64b706b22ff8db599fbb1a2c0852c2a893000f90adfc5206c1d2"^^xsd:hexBinary }
