// A quote as a PDF document (A4), laid out with Pango and drawn with Cairo: the company and the
// customer, the quote's number and dates, its lines (long descriptions wrap; the table goes on
// over as many pages as it takes, its header repeated, "Page 1/2" at the foot of each), the VAT
// breakdown per rate with the exemption wording of 0 % lines, the totals HT / TVA / TTC, the
// notes, an acceptance box and the legal mentions. French by default (amounts "1 234,56 €",
// dates "2 décembre 2026"), English on request. Fonts: DejaVu Sans (Debian's fonts-dejavu-core).
//
// Plain data in, bytes out: no database, no entity; the sales module fills a QuoteDocument from
// its records (and its company settings) and serves the bytes as application/pdf. Thread-safe:
// each call draws on its own surface.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "modules/sales/quote_totals.h"

namespace gz::modules::sales {

struct QuoteCompany {
  std::string name;
  std::vector<std::string> address_lines;  // "12 rue de la République", "69002 Lyon"
  std::string siren;                       // "123 456 789"; shown when siret is empty
  std::string siret;                       // "123 456 789 00012"
  std::string vat_number;                  // "FR 12 123456789"
  std::string legal_form;                  // "SAS au capital de 10 000 € — RCS Lyon 123 456 789"
  std::string email, phone;
  // Legal mentions, printed at the foot of the last page. payment_terms is printed when given;
  // the two others have the law's default wording in the document's language when empty
  // (penalties at three times the legal interest rate; the 40 € recovery indemnity of art. L441-10
  // and D441-5 of the Code de commerce).
  std::string payment_terms;       // "Paiement à 30 jours à compter de la date de facture, par virement"
  std::string late_penalties;      // "Pénalités de retard : trois fois le taux d'intérêt légal"
  std::string recovery_indemnity;  // "Indemnité forfaitaire pour frais de recouvrement de 40 €"
  std::vector<std::string> other_mentions;  // "Pas d'escompte pour paiement anticipé", an insurance…
};

struct QuoteCustomer {
  std::string name;
  std::vector<std::string> address_lines;
  std::string vat_number;  // the customer's intra-EU VAT number (autoliquidation, intra-EU supply)
};

struct QuoteDocumentLine {
  std::string description;       // may be long: wraps in its column
  int64_t quantity = 0;
  int64_t unit_price_cents = 0;  // HT
  int64_t discount_cents = 0;
  std::string vat_rate;          // "20", "10", "5.5", "2.1", "0"
  std::string vat_exemption;     // at "0": exemption_code() ("franchise", "reverse_charge"…) or ""
  int64_t net_cents = 0;         // the line's total HT: QuoteTotals::line_net_cents
};

struct QuoteDocument {
  QuoteCompany company;
  QuoteCustomer customer;
  std::string number;       // "D-2026-0001"
  std::string issue_date;   // "YYYY-MM-DD", shown "2 décembre 2026" (another text is shown as is)
  std::string valid_until;  // "YYYY-MM-DD"; nothing shown when empty
  std::string currency = "EUR";
  std::vector<QuoteDocumentLine> lines;
  QuoteTotals totals;       // quote_totals() of the lines (compute_totals fills it)
  std::string notes;        // free text, may hold line breaks
  std::string language = "fr";  // "fr" or "en"
};

// Fills each line's net_cents and doc.totals from the lines (quote_totals); throws its Problem
// (field errors "lines[2].vat_rate"…) when a line is invalid.
void compute_totals(QuoteDocument& doc);

// The PDF (bytes starting "%PDF-"): the document as given, totals included (they are not
// recomputed: what the quote record holds is what is printed).
std::string render_quote_pdf(const QuoteDocument& doc);

// "2 décembre 2026", "1er janvier 2027" (fr) or "2 December 2026" (en) from "YYYY-MM-DD" (a longer
// ISO text is read by its first ten characters); anything else is returned as is.
std::string format_long_date(const std::string& iso, const std::string& lang = "fr");
// "20 %", "5,5 %" (fr, no-break space) or "20%", "5.5%" (en) from a rate code.
std::string format_rate(const std::string& code, const std::string& lang = "fr");

}  // namespace gz::modules::sales
