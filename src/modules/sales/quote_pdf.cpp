#include "modules/sales/quote_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "core/message.h"
#include "core/money.h"

namespace gz::modules::sales {

void compute_totals(QuoteDocument& doc) {
  std::vector<QuoteLineInput> in;
  in.reserve(doc.lines.size());
  for (const auto& l : doc.lines)
    in.push_back({l.quantity, l.unit_price_cents, l.discount_cents, l.vat_rate, l.vat_exemption});
  doc.totals = quote_totals(in);
  for (size_t i = 0; i < doc.lines.size(); ++i) doc.lines[i].net_cents = doc.totals.line_net_cents[i];
}

std::string format_long_date(const std::string& iso, const std::string& lang) {
  static const char* fr[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                             "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  static const char* en[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};
  auto digits = [&](size_t from, size_t n) {
    int v = 0;
    for (size_t i = from; i < from + n; ++i) {
      if (iso[i] < '0' || iso[i] > '9') return -1;
      v = v * 10 + (iso[i] - '0');
    }
    return v;
  };
  if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return iso;
  int y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return iso;
  if (lang == "en") return std::to_string(d) + " " + en[m - 1] + " " + std::to_string(y);
  return (d == 1 ? std::string("1er") : std::to_string(d)) + " " + fr[m - 1] + " " + std::to_string(y);
}

std::string format_rate(const std::string& code, const std::string& lang) {
  if (lang == "en") return code + "%";
  std::string s = code;
  std::replace(s.begin(), s.end(), '.', ',');
  return s + "\u00a0%";
}

namespace {

// --- Words of the document ---------------------------------------------------------------------

struct Words {
  const char *title, *continued, *date, *valid_until, *customer, *siren, *siret, *vat_number, *vat_short, *description, *qty,
      *unit_price, *discount, *vat, *total_line, *vat_row, *base, *vat_amount, *total_net, *total_vat, *total_gross,
      *notes, *accept_title, *accept_hint, *payment_terms, *penalties, *recovery, *page;
};

const Words kFrench = {
    "Devis n\u00b0\u00a0", " (suite)", "Date du devis", "Valable jusqu'au", "Client", "SIREN", "SIRET",
    "N\u00b0 TVA intracommunautaire", "N\u00b0 TVA", "D\u00e9signation", "Qt\u00e9", "Prix unitaire HT", "Remise", "TVA", "Total HT",
    "TVA ", "Base HT", "Montant TVA", "Total HT", "Total TVA", "Total TTC", "Notes", "Bon pour accord",
    "Date, signature et cachet du client, pr\u00e9c\u00e9d\u00e9s de la mention \u00ab\u00a0Bon pour accord\u00a0\u00bb",
    "Conditions de paiement\u00a0: ",
    "En cas de retard de paiement, p\u00e9nalit\u00e9s de retard au taux de trois fois le taux d'int\u00e9r\u00eat "
    "l\u00e9gal.",
    "Indemnit\u00e9 forfaitaire pour frais de recouvrement de 40\u00a0\u20ac en cas de retard de paiement "
    "(art. L441-10 et D441-5 du Code de commerce).",
    "Page "};

const Words kEnglish = {
    "Quote no. ", " (continued)", "Quote date", "Valid until", "Customer", "SIREN", "SIRET", "VAT number", "VAT",
    "Description", "Qty", "Unit price excl. VAT", "Discount", "VAT", "Total excl. VAT", "VAT ", "Base excl. VAT",
    "VAT amount", "Total excl. VAT", "Total VAT", "Total incl. VAT", "Notes", "Accepted",
    "Date, signature and stamp of the customer", "Payment terms: ",
    "Late payment: penalties at three times the French legal interest rate.",
    "Fixed compensation for recovery costs of \u20ac40 in case of late payment (articles L441-10 and D441-5 of the "
    "French Commercial Code).",
    "Page "};

// --- Geometry (points; A4) ---------------------------------------------------------------------

constexpr double kPageW = 595.276, kPageH = 841.89;
constexpr double kLeft = 42, kRight = kPageW - 42, kWidth = kRight - kLeft;
constexpr double kTop = 40;
constexpr double kFooterY = kPageH - 34;  // the footer's top
constexpr double kBottom = kFooterY - 12;  // content ends above this
constexpr double kPadX = 4, kPadY = 4;
constexpr const char* kFamily = "DejaVu Sans";

// The lines table: Désignation, Qté, Prix unitaire HT, Remise, TVA, Total HT.
constexpr double kCols[] = {203, 44, 78, 64, 42, 80};
static_assert(203 + 44 + 78 + 64 + 42 + 80 < 511.3 && 203 + 44 + 78 + 64 + 42 + 80 > 510.9);

struct Rgb {
  double r, g, b;
};
constexpr Rgb kInk{0.10, 0.11, 0.13}, kGrey{0.42, 0.44, 0.48}, kAccent{0.10, 0.25, 0.45}, kRule{0.80, 0.82, 0.86},
    kShade{0.93, 0.945, 0.96};

// --- Text -------------------------------------------------------------------------------------

struct Style {
  double size = 9;
  bool bold = false;
  bool italic = false;
  Rgb color = kInk;
  PangoAlignment align = PANGO_ALIGN_LEFT;
};

using LayoutPtr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

// Invalid UTF-8 (a record written by an old import…) would make Pango warn and draw garbage:
// replaced by U+FFFD.
std::string valid_utf8(const std::string& s) {
  if (g_utf8_validate(s.data(), gssize(s.size()), nullptr)) return s;
  gchar* v = g_utf8_make_valid(s.data(), gssize(s.size()));
  std::string out(v);
  g_free(v);
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// The pages of one pass. The first pass only lays the document out (total_pages 0: nothing is
// drawn) to count its pages, so that the second, which draws, can write "Page 1/N"; both measure
// the same text with the same fonts and options, so they break pages at the same places.
class Pass {
 public:
  Pass(cairo_surface_t* surface, const QuoteDocument& doc, int total_pages)
      : doc_(doc), w_(doc.language == "en" ? kEnglish : kFrench), lang_(doc.language == "en" ? "en" : "fr"),
        total_(total_pages), drawing_(total_pages > 0), cr_(cairo_create(surface)),
        ctx_(pango_cairo_create_context(cr_)) {
    // Metrics unhinted, so that the layout is the same whatever the surface.
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx_, fo);
    cairo_font_options_destroy(fo);
  }
  ~Pass() {
    g_object_unref(ctx_);
    cairo_destroy(cr_);
  }
  Pass(const Pass&) = delete;
  Pass& operator=(const Pass&) = delete;

  int run() {
    first_page_header();
    lines_table();
    summary();
    notes();
    acceptance();
    legal_mentions();
    footer();
    cairo_show_page(cr_);
    return page_;
  }

 private:
  const QuoteDocument& doc_;
  const Words& w_;
  std::string lang_;
  int total_;
  bool drawing_;
  cairo_t* cr_;
  PangoContext* ctx_;
  int page_ = 1;
  double y_ = kTop;

  std::string money(int64_t cents) const { return money::format_money(cents, doc_.currency, lang_); }

  // A layout of text in `width` points (wrapped at words, else anywhere); max_height > 0 cuts it
  // with an ellipsis.
  LayoutPtr text(const std::string& s, const Style& st, double width = -1, double max_height = 0) {
    LayoutPtr l(pango_layout_new(ctx_), g_object_unref);
    PangoFontDescription* fd = pango_font_description_new();
    pango_font_description_set_family(fd, kFamily);
    pango_font_description_set_absolute_size(fd, st.size * PANGO_SCALE);
    if (st.bold) pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    if (st.italic) pango_font_description_set_style(fd, PANGO_STYLE_ITALIC);
    pango_layout_set_font_description(l.get(), fd);
    pango_font_description_free(fd);
    if (width > 0) {
      pango_layout_set_width(l.get(), int(width * PANGO_SCALE));
      pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
      pango_layout_set_alignment(l.get(), st.align);
    }
    if (max_height > 0) {
      pango_layout_set_height(l.get(), int(max_height * PANGO_SCALE));
      pango_layout_set_ellipsize(l.get(), PANGO_ELLIPSIZE_END);
    }
    std::string v = valid_utf8(s);
    pango_layout_set_text(l.get(), v.data(), int(v.size()));
    return l;
  }

  static double height(const LayoutPtr& l) {
    int w, h;
    pango_layout_get_size(l.get(), &w, &h);
    return double(h) / PANGO_SCALE;
  }

  void show(const LayoutPtr& l, double x, double y, Rgb c) {
    if (!drawing_) return;
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, l.get());
  }

  // Draws text at (x, y) and returns its height.
  double put(const std::string& s, double x, double y, const Style& st, double width = -1) {
    auto l = text(s, st, width);
    show(l, x, y, st.color);
    return height(l);
  }

  void rule(double x1, double x2, double y, Rgb c, double w = 0.6) {
    if (!drawing_) return;
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_set_line_width(cr_, w);
    cairo_move_to(cr_, x1, y);
    cairo_line_to(cr_, x2, y);
    cairo_stroke(cr_);
  }

  void box(double x, double y, double w, double h, Rgb c, bool fill) {
    if (!drawing_) return;
    cairo_set_source_rgb(cr_, c.r, c.g, c.b);
    cairo_rectangle(cr_, x, y, w, h);
    if (fill) {
      cairo_fill(cr_);
    } else {
      cairo_set_line_width(cr_, 0.6);
      cairo_stroke(cr_);
    }
  }

  // --- Pages ---

  void footer() {
    Style st{7, false, false, kGrey};
    rule(kLeft, kRight, kFooterY, kRule, 0.5);
    std::string id = doc_.company.siret.empty()
                         ? (doc_.company.siren.empty() ? "" : std::string(w_.siren) + " " + doc_.company.siren)
                         : std::string(w_.siret) + " " + doc_.company.siret;
    std::string vat = doc_.company.vat_number.empty() ? "" : std::string(w_.vat_short) + " " + doc_.company.vat_number;
    std::string left = join({doc_.company.name, doc_.company.legal_form, id, vat}, " \u2014 ");
    put(left, kLeft, kFooterY + 5, st, kWidth - 70);
    std::string page = std::string(w_.page) + std::to_string(page_) + "/" + std::to_string(total_);
    Style right = st;
    right.align = PANGO_ALIGN_RIGHT;
    put(page, kRight - 70, kFooterY + 5, right, 70);
  }

  void new_page() {
    footer();
    cairo_show_page(cr_);
    ++page_;
    y_ = kTop;
    Style st{9, true, false, kGrey};
    y_ += put(std::string(w_.title) + doc_.number + w_.continued, kLeft, y_, st, kWidth) + 10;
  }

  // Makes room for h points, on a new page when this one is too full.
  void need(double h) {
    if (y_ + h > kBottom) new_page();
  }

  void first_page_header() {
    const auto& c = doc_.company;
    // The company, top left.
    double left = kTop;
    double col = kWidth * 0.52;
    left += put(c.name, kLeft, left, {13, true, false, kAccent}, col);
    Style small{8.5, false, false, kInk};
    for (const auto& a : c.address_lines) left += put(a, kLeft, left, small, col);
    std::vector<std::string> contact;
    if (!c.phone.empty()) contact.push_back(c.phone);
    if (!c.email.empty()) contact.push_back(c.email);
    if (!contact.empty()) left += put(join(contact, " \u00b7 "), kLeft, left, small, col);
    Style grey{8, false, false, kGrey};
    if (!c.siret.empty()) left += put(std::string(w_.siret) + " " + c.siret, kLeft, left + 2, grey, col) + 2;
    else if (!c.siren.empty()) left += put(std::string(w_.siren) + " " + c.siren, kLeft, left + 2, grey, col) + 2;
    if (!c.vat_number.empty()) left += put(std::string(w_.vat_number) + " " + c.vat_number, kLeft, left, grey, col);

    // The customer, in a box on the right.
    double bx = kLeft + kWidth * 0.56, bw = kRight - bx;
    double inner = bw - 2 * 8;
    std::vector<std::pair<LayoutPtr, Rgb>> parts;
    parts.emplace_back(text(w_.customer, {7.5, false, false, kGrey}, inner), kGrey);
    parts.emplace_back(text(doc_.customer.name, {10.5, true, false, kInk}, inner), kInk);
    for (const auto& a : doc_.customer.address_lines) parts.emplace_back(text(a, small, inner), kInk);
    if (!doc_.customer.vat_number.empty())
      parts.emplace_back(text(std::string(w_.vat_number) + " " + doc_.customer.vat_number, grey, inner), kGrey);
    double bh = 2 * 8;
    for (const auto& [l, c2] : parts) bh += height(l) + 1;
    double by = kTop + 14;
    box(bx, by, bw, bh, kRule, false);
    double ty = by + 8;
    for (const auto& [l, c2] : parts) {
      show(l, bx + 8, ty, c2);
      ty += height(l) + 1;
    }
    y_ = std::max(left, by + bh) + 24;

    // Title and dates.
    y_ += put(std::string(w_.title) + doc_.number, kLeft, y_, {16, true, false, kAccent}, kWidth) + 4;
    Style dates{9, false, false, kInk};
    y_ += put(std::string(w_.date) + (lang_ == "fr" ? "\u00a0: " : ": ") + format_long_date(doc_.issue_date, lang_),
              kLeft, y_, dates, kWidth);
    if (!doc_.valid_until.empty())
      y_ += put(std::string(w_.valid_until) + (lang_ == "fr" ? "\u00a0: " : ": ") +
                    format_long_date(doc_.valid_until, lang_),
                kLeft, y_, dates, kWidth);
    y_ += 16;
  }

  // --- The lines table ---

  void table_header() {
    Style st{8, true, false, kInk};
    const char* heads[] = {w_.description, w_.qty, w_.unit_price, w_.discount, w_.vat, w_.total_line};
    std::vector<LayoutPtr> cells;
    double h = 0;
    for (int i = 0; i < 6; ++i) {
      Style s = st;
      s.align = i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
      cells.push_back(text(heads[i], s, kCols[i] - 2 * kPadX));
      h = std::max(h, height(cells.back()));
    }
    h += 2 * kPadY;
    box(kLeft, y_, kWidth, h, kShade, true);
    double x = kLeft;
    for (int i = 0; i < 6; ++i) {
      show(cells[i], x + kPadX, y_ + kPadY, kInk);
      x += kCols[i];
    }
    y_ += h;
    rule(kLeft, kRight, y_, kGrey, 0.6);
  }

  void lines_table() {
    // A description taller than a page is cut with an ellipsis rather than overflowing.
    const double max_desc = kBottom - kTop - 120;
    table_header();
    Style st{8.5, false, false, kInk};
    Style num = st;
    num.align = PANGO_ALIGN_RIGHT;
    for (const auto& l : doc_.lines) {
      std::vector<LayoutPtr> cells;
      cells.push_back(text(l.description, st, kCols[0] - 2 * kPadX, max_desc));
      cells.push_back(text(Message::number(double(l.quantity)).render(lang_), num, kCols[1] - 2 * kPadX));
      cells.push_back(text(money(l.unit_price_cents), num, kCols[2] - 2 * kPadX));
      cells.push_back(text(l.discount_cents ? money(l.discount_cents) : "", num, kCols[3] - 2 * kPadX));
      cells.push_back(text(format_rate(l.vat_rate, lang_), num, kCols[4] - 2 * kPadX));
      cells.push_back(text(money(l.net_cents), num, kCols[5] - 2 * kPadX));
      double h = 0;
      for (const auto& c : cells) h = std::max(h, height(c));
      h += 2 * kPadY;
      if (y_ + h > kBottom) {
        new_page();
        table_header();
      }
      double x = kLeft;
      for (int i = 0; i < 6; ++i) {
        show(cells[i], x + kPadX, y_ + kPadY, kInk);
        x += kCols[i];
      }
      y_ += h;
      rule(kLeft, kRight, y_, kRule, 0.4);
    }
    y_ += 14;
  }

  // --- VAT breakdown and totals, on the right ---

  void summary() {
    const double x = kLeft + kWidth * 0.45, w = kRight - x;
    const double c0 = w * 0.36, c1 = w * 0.34, c2 = w - c0 - c1;
    Style head{8, true, false, kInk}, cell{8.5, false, false, kInk};
    Style head_r = head, cell_r = cell;
    head_r.align = cell_r.align = PANGO_ALIGN_RIGHT;
    struct Row {
      LayoutPtr a, b, c;
      double h;
    };
    auto row = [&](const std::string& a, const std::string& b, const std::string& c, const Style& sa, const Style& sb) {
      Row r{text(a, sa, c0 - 2 * kPadX), text(b, sb, c1 - 2 * kPadX), text(c, sb, c2 - 2 * kPadX), 0};
      r.h = std::max({height(r.a), height(r.b), height(r.c)}) + 2 * kPadY;
      return r;
    };
    std::vector<Row> rows;
    rows.push_back(row(w_.vat, w_.base, w_.vat_amount, head, head_r));
    std::vector<std::string> exemptions;
    for (const auto& b : doc_.totals.breakdown) {
      rows.push_back(row(w_.vat_row + format_rate(b.rate, lang_), money(b.base_cents), money(b.vat_cents), cell, cell_r));
      std::string e = exemption_wording(b.exemption, lang_);
      if (!e.empty() && std::find(exemptions.begin(), exemptions.end(), e) == exemptions.end()) exemptions.push_back(e);
    }
    // Exemption wording of the 0 % lines (the law wants it on the document).
    std::vector<LayoutPtr> ex;
    for (const auto& e : exemptions) ex.push_back(text(e, {8, false, true, kInk}, w));
    Style tot{9.5, false, false, kInk}, tot_r = tot;
    tot_r.align = PANGO_ALIGN_RIGHT;
    Style gross{11, true, false, kAccent}, gross_r = gross;
    gross_r.align = PANGO_ALIGN_RIGHT;
    std::vector<std::pair<LayoutPtr, LayoutPtr>> totals;
    totals.emplace_back(text(w_.total_net, tot, w * 0.6), text(money(doc_.totals.net_cents), tot_r, w * 0.4 - kPadX));
    totals.emplace_back(text(w_.total_vat, tot, w * 0.6), text(money(doc_.totals.vat_cents), tot_r, w * 0.4 - kPadX));
    totals.emplace_back(text(w_.total_gross, gross, w * 0.6),
                        text(money(doc_.totals.gross_cents), gross_r, w * 0.4 - kPadX));

    double h = 0;
    for (const auto& r : rows) h += r.h;
    for (const auto& e : ex) h += height(e) + 2;
    h += 10;
    for (const auto& [a, b] : totals) h += std::max(height(a), height(b)) + 6;
    need(h + 4);

    bool first = true;
    for (const auto& r : rows) {
      if (first) box(x, y_, w, r.h, kShade, true);
      show(r.a, x + kPadX, y_ + kPadY, kInk);
      show(r.b, x + c0 + kPadX, y_ + kPadY, kInk);
      show(r.c, x + c0 + c1 + kPadX, y_ + kPadY, kInk);
      y_ += r.h;
      rule(x, kRight, y_, first ? kGrey : kRule, first ? 0.6 : 0.4);
      first = false;
    }
    y_ += 4;
    for (const auto& e : ex) {
      show(e, x, y_, kInk);
      y_ += height(e) + 2;
    }
    y_ += 6;
    for (size_t i = 0; i < totals.size(); ++i) {
      const auto& [a, b] = totals[i];
      double th = std::max(height(a), height(b));
      if (i + 1 == totals.size()) {
        box(x, y_ - 2, w, th + 6, kShade, true);
        show(a, x + kPadX, y_ + 1, kAccent);
        show(b, x + w * 0.6, y_ + 1, kAccent);
      } else {
        show(a, x + kPadX, y_, kInk);
        show(b, x + w * 0.6, y_, kInk);
      }
      y_ += th + 6;
    }
    y_ += 14;
  }

  // Paragraph by paragraph, so that long notes go on over the next page (a paragraph taller than
  // a page is cut with an ellipsis).
  void notes() {
    if (doc_.notes.empty()) return;
    std::vector<LayoutPtr> paragraphs;
    for (size_t from = 0; from <= doc_.notes.size();) {
      size_t end = doc_.notes.find('\n', from);
      if (end == std::string::npos) end = doc_.notes.size();
      std::string p = doc_.notes.substr(from, end - from);
      if (!p.empty() && p.back() == '\r') p.pop_back();
      paragraphs.push_back(text(p.empty() ? " " : p, {8.5, false, false, kInk}, kWidth, kBottom - kTop - 60));
      from = end + 1;
    }
    auto title = text(w_.notes, {9, true, false, kInk}, kWidth);
    need(height(title) + 3 + height(paragraphs[0]));
    show(title, kLeft, y_, kInk);
    y_ += height(title) + 3;
    for (const auto& p : paragraphs) {
      need(height(p));
      show(p, kLeft, y_, kInk);
      y_ += height(p);
    }
    y_ += 14;
  }

  void acceptance() {
    const double w = kWidth * 0.5, h = 70;
    auto title = text(w_.accept_title, {9, true, false, kInk}, w - 16);
    auto hint = text(w_.accept_hint, {7.5, false, true, kGrey}, w - 16);
    need(h);
    box(kLeft, y_, w, h, kRule, false);
    show(title, kLeft + 8, y_ + 6, kInk);
    show(hint, kLeft + 8, y_ + 6 + height(title) + 2, kGrey);
    y_ += h + 14;
  }

  // At the foot of the last page.
  void legal_mentions() {
    const auto& c = doc_.company;
    std::vector<std::string> items;
    if (!c.payment_terms.empty()) items.push_back(std::string(w_.payment_terms) + c.payment_terms);
    items.push_back(c.late_penalties.empty() ? w_.penalties : c.late_penalties);
    items.push_back(c.recovery_indemnity.empty() ? w_.recovery : c.recovery_indemnity);
    for (const auto& m : c.other_mentions)
      if (!m.empty()) items.push_back(m);
    auto body = text(join(items, "\n"), {7.5, false, false, kGrey}, kWidth);
    double h = height(body) + 6;
    need(h);
    double y = std::max(y_, kBottom - h);
    rule(kLeft, kRight, y, kRule, 0.5);
    show(body, kLeft, y + 5, kGrey);
    y_ = y + h;
  }
};

cairo_status_t discard(void*, const unsigned char*, unsigned int) { return CAIRO_STATUS_SUCCESS; }

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// One pass on a PDF surface writing through `write`; returns the number of pages.
int draw(const QuoteDocument& doc, cairo_write_func_t write, void* closure, int total_pages) {
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(write, closure, kPageW, kPageH);
  std::string title = std::string(doc.language == "en" ? kEnglish.title : kFrench.title) + doc.number;
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, valid_utf8(title).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, valid_utf8(doc.company.name).c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Gazelle");
  int pages;
  {
    Pass pass(surface, doc, total_pages);
    pages = pass.run();
  }
  cairo_surface_finish(surface);
  cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("quote PDF: ") + cairo_status_to_string(status));
  return pages;
}

}  // namespace

std::string render_quote_pdf(const QuoteDocument& doc) {
  // First pass: how many pages (for "Page 1/N"); the second draws them again with that number.
  int pages = draw(doc, discard, nullptr, 0);
  std::string out;
  draw(doc, append, &out, pages);
  return out;
}

}  // namespace gz::modules::sales
