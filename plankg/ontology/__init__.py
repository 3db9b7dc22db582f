"""The plankg vocabulary as code, the ontology and SHACL shapes files, and the named queries.

:class:`PKG` lists every term declared in ``plankg.ttl`` (a test keeps the two in sync),
in the style of rdflib's ``namespace/_PROV.py``: referring to an undeclared term is an
error, so a typo cannot mint a new IRI. The standard vocabularies the exports use are
rdflib's (``PROV``, ``ORG``, ``SKOS``, ``DCTERMS``) plus :data:`ELI`, which rdflib lacks.

>>> PKG.leadAgency
rdflib.term.URIRef('https://w3id.org/plankg/ontology#leadAgency')
>>> PKG.leadAgencies
Traceback (most recent call last):
...
AttributeError: term 'leadAgencies' not in namespace 'https://w3id.org/plankg/ontology#'
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from rdflib import Graph
from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = ["ELI", "ONTOLOGY_IRI", "PKG", "load_ontology", "load_shapes", "resource"]

#: European Legislation Identifier ontology (documents, their parts and relations).
ELI = Namespace("http://data.europa.eu/eli/ontology#")
#: IRI of the ontology document itself.
ONTOLOGY_IRI = URIRef("https://w3id.org/plankg/ontology")


class PKG(DefinedNamespace):
    """plankg ontology: Vietnamese plan terms no standard vocabulary covers.

    Glossary (Vietnamese -> term): *nhiệm vụ* -> ``Task``; *chỉ tiêu* -> ``Target``;
    *cơ quan chủ trì* -> ``leadAgency``; *cơ quan phối hợp* -> ``supportAgency``;
    *thời gian hoàn thành* -> ``deadlineText``; *hạn hoàn thành* -> ``deadlineEnd``;
    *thường xuyên* -> ``continuous``; *định kỳ* -> ``recurrence``; *sản phẩm* -> ``product``;
    *ban hành kèm theo* -> ``attachedTo``; *cấp* -> ``level``; *địa bàn* -> ``jurisdiction``.
    """

    _fail = True
    _NS = Namespace("https://w3id.org/plankg/ontology#")

    # classes
    Task: URIRef  # nhiệm vụ
    Target: URIRef  # chỉ tiêu
    CollectiveAgency: URIRef  # các cơ quan, đơn vị (gọi chung)
    DistributiveAgency: URIRef  # từng cơ quan, đơn vị ("UBND các xã, phường")
    Level: URIRef  # cấp hành chính
    Recurrence: URIRef  # định kỳ
    RejectedDerivation: URIRef  # liên kết nguồn gốc bị bác bỏ

    # object properties
    leadAgency: URIRef  # cơ quan chủ trì
    supportAgency: URIRef  # cơ quan phối hợp
    attachedTo: URIRef  # ban hành kèm theo
    level: URIRef  # cấp
    recurrence: URIRef  # định kỳ
    rejectedDerivation: URIRef  # liên kết bị bác bỏ
    rejectedEntity: URIRef  # nhiệm vụ cấp trên bị bác bỏ
    succeededBy: URIRef  # được kế thừa bởi (đơn vị hành chính)
    partlySucceededBy: URIRef  # được kế thừa một phần bởi

    # datatype properties: deadlines
    deadlineText: URIRef  # thời gian hoàn thành
    deadlineStart: URIRef  # ngày bắt đầu
    deadlineEnd: URIRef  # hạn hoàn thành
    continuous: URIRef  # thường xuyên
    product: URIRef  # sản phẩm

    # datatype properties: documents and agencies
    documentType: URIRef  # loại văn bản
    jurisdiction: URIRef  # địa bàn
    placeholder: URIRef  # văn bản được dẫn chiếu chưa nạp
    validFrom: URIRef  # có hiệu lực từ (đơn vị hành chính)
    validUntil: URIRef  # hết hiệu lực sau
    sourceFile: URIRef  # tệp nguồn

    # datatype properties: position in the document
    path: URIRef  # số thứ tự mục
    part: URIRef  # phần
    sourceLine: URIRef  # dòng nguồn

    # datatype properties: targets
    indicator: URIRef  # tên chỉ tiêu
    value: URIRef  # giá trị chỉ tiêu
    minValue: URIRef  # giá trị thấp nhất
    maxValue: URIRef  # giá trị cao nhất
    unit: URIRef  # đơn vị tính
    comparator: URIRef  # phép so sánh
    targetYear: URIRef  # năm đạt chỉ tiêu

    # datatype properties: lineage links
    score: URIRef  # điểm tương đồng
    band: URIRef  # mức tin cậy
    method: URIRef  # phương pháp liên kết
    status: URIRef  # trạng thái liên kết
    evidence: URIRef  # bằng chứng
    reason: URIRef  # lý do

    # individuals
    National: URIRef  # trung ương
    Province: URIRef  # cấp tỉnh
    District: URIRef  # cấp huyện
    Commune: URIRef  # cấp xã
    Weekly: URIRef  # hằng tuần
    Monthly: URIRef  # hằng tháng
    Quarterly: URIRef  # hằng quý
    Semiannual: URIRef  # định kỳ 6 tháng
    Yearly: URIRef  # hằng năm
    Units2025: URIRef  # đơn vị hành chính từ 01/07/2025
    UnitsBefore2025: URIRef  # đơn vị hành chính trước 01/07/2025


def resource(name: str) -> Traversable:
    """A file shipped in this package: ``plankg.ttl``, ``shapes.ttl`` or ``queries/<name>.rq``.

    >>> resource("queries/lineage.rq").read_text(encoding="utf-8").startswith("# lineage:")
    True
    """
    return files(__name__).joinpath(name)


def load_ontology() -> Graph:
    """The plankg ontology (``plankg.ttl``) as an rdflib graph.

    >>> (ONTOLOGY_IRI, None, None) in load_ontology()
    True
    """
    return Graph().parse(data=resource("plankg.ttl").read_bytes(), format="turtle")


def load_shapes() -> Graph:
    """The SHACL shapes of the "6 rõ" audit (``shapes.ttl``) as an rdflib graph.

    >>> from rdflib.namespace import SH
    >>> len(set(load_shapes().subjects(SH.targetClass, PKG.Task)))
    6
    """
    return Graph().parse(data=resource("shapes.ttl").read_bytes(), format="turtle")
