"""One rendition's readings into a `ParsedInvoice`: XBRL first, the face as check and fallback."""

from __future__ import annotations

import hashlib

from app.invoices.parsing.business_evidence import unclear_business_type
from app.invoices.parsing.checks import check_invoice
from app.invoices.parsing.crosscheck import cross_check, fill_from_face
from app.invoices.parsing.extraction import Extraction
from app.invoices.parsing.field_limits import masked_id, refuse_out_of_range
from app.invoices.parsing.fields import InvoiceFields
from app.invoices.parsing.kind_rules import KindRules
from app.invoices.parsing.kinds import rules_of
from app.invoices.parsing.model import (
    BusinessType,
    Finding,
    NotTravelInvoice,
    ParsedInvoice,
    Rendition,
    Source,
    UnreadableFile,
)


def make_rendition(extraction: Extraction, data: bytes, filename: str) -> Rendition:
    return Rendition(extraction.kind, filename, hashlib.sha256(data).hexdigest(), data)


def assemble(extraction: Extraction, rendition: Rendition) -> ParsedInvoice:
    rules, fields, source, findings = _choose_fields(extraction)
    fields = rules.derive(fields)
    refuse_out_of_range(fields)
    fields.passenger_id_masked = masked_id(fields.passenger_id_masked)
    for name in rules.always_printed:
        if getattr(fields, name) is None:
            raise UnreadableFile(f"no {rules.label(name)} could be read from the file")
    if fields.invoice_number is None or fields.fare is None:  # always printed by every kind
        raise UnreadableFile("no invoice number or fare could be read from the file")
    business_type, settled = _business_type(fields, source, extraction)
    fields.business_type = business_type
    findings += [*extraction.findings, *settled, *check_invoice(fields, rules)]
    return ParsedInvoice(
        invoice_number=fields.invoice_number,
        business_type=business_type,
        issue_date=fields.issue_date,
        train_number=fields.train_number,
        departure_station=fields.departure_station,
        arrival_station=fields.arrival_station,
        travel_date=fields.travel_date,
        departure_time=fields.departure_time,
        seat_class=fields.seat_class,
        carriage=fields.carriage,
        seat=fields.seat,
        fare=fields.fare,
        amount_excluding_tax=fields.amount_excluding_tax,
        tax_rate=fields.tax_rate,
        tax_amount=fields.tax_amount,
        e_ticket_number=fields.e_ticket_number,
        passenger_name=fields.passenger_name,
        passenger_id_masked=fields.passenger_id_masked,
        buyer_name=fields.buyer_name,
        buyer_tax_id=fields.buyer_tax_id,
        original_invoice_number=fields.original_invoice_number,
        source=source,
        renditions=(rendition,),
        findings=tuple(findings),
        xbrl=extraction.xbrl.data if extraction.xbrl is not None else None,
        kind=rules.kind,
        segments=fields.segments or (),
        fuel_surcharge=fields.fuel_surcharge,
        civil_aviation_fund=fields.civil_aviation_fund,
        other_taxes=fields.other_taxes,
        total_amount=fields.total_amount,
        domestic=fields.domestic,
    )


def _business_type(
    fields: InvoiceFields, source: Source, extraction: Extraction
) -> tuple[BusinessType, list[Finding]]:
    """Settle `fields.business_type`; evidence that contradicts itself is reported, not guessed."""
    findings = []
    stated = extraction.xbrl.fields.business_type if extraction.xbrl is not None else None
    evidence = extraction.face.business if extraction.face is not None else None
    unclear = unclear_business_type(stated, evidence)
    if unclear is not None:
        findings.append(unclear)
    if source == "xbrl" and stated is None:
        # TypeOfBusiness missing or a value beyond 售/退/改签/退差: read on, but say so.
        message = "the XBRL names no known business type; read from the face, else as a sale"
        findings.append(Finding("unknown-business-type", message, "business_type"))
    if fields.business_type is not None:
        return fields.business_type, findings
    if unclear is not None and evidence is not None:
        return evidence.best_guess(), findings
    return "sale", findings  # a face with no evidence at all is a plain sale


def _choose_fields(
    extraction: Extraction,
) -> tuple[KindRules, InvoiceFields, Source, list[Finding]]:
    """The fields to keep and the rules of their kind: the XBRL's (it states its kind), with the
    face as check and for what it leaves out; else the face's, when it shows a known kind."""
    face, xbrl = extraction.face, extraction.xbrl
    if xbrl is not None:
        rules = rules_of(xbrl.kind)
        if face is None:
            return rules, xbrl.fields, "xbrl", []
        findings = cross_check(xbrl.fields, face.fields, rules)
        return rules, fill_from_face(xbrl.fields, face.fields, rules), "xbrl", findings
    if face is None or face.kind is None:
        raise NotTravelInvoice(
            "the file is neither a railway e-invoice (电子发票（铁路电子客票）) nor an air "
            "e-itinerary (电子发票（航空运输电子客票行程单）)"
        )
    return rules_of(face.kind), face.fields, "text", []
