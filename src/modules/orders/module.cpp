#include "modules/orders/module.h"

#include "domain/customer_view.h"
#include "domain/import_service.h"
#include "kernel/fields.h"
#include "modules/orders/rules.h"
#include "modules/orders/order_store.h"

namespace gz::modules::orders {

using namespace kernel::fields;
using kernel::Access;
using kernel::Delete;
using kernel::Entity;

namespace {

Entity products() {
  Entity e{"products", "product", Access::Catalogue, "", false, "name", {}};
  e.label = {"Produits", "Products"};
  e.label_singular = {"Produit", "Product"};
  e.fields = {
      filt(maxlen(F("sku", K::Text, {"Référence", "SKU"}, "Stock-keeping unit (unique)"), 100)),
      required(sortf(F("name", K::Text, {"Nom", "Name"}))),
      both(F("category", K::Text, {"Catégorie", "Category"})),
      dflt(sortf(F("unit_price_cents", K::Money, {"Prix unitaire", "Unit price"}, "List price in cents")), 0),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
      dflt(filt(F("active", K::Boolean, {"Actif", "Active"}, "Default true")), true),
      F("margin_bp", K::Integer, {"Taux de marge (points de base)", "Margin rate (basis points)"},
        "Gross margin rate in basis points, 0-10000 (3750 = 37.5 %); null: the analytics default"),
  };
  add_common(e);
  e.title_fields = {"name"};
  e.list_columns = {"name", "sku", "category", "unit_price_cents", "active"};
  e.menu_order = 60;
  e.hooks.rules = product_rules;
  return e;
}

Entity orders() {
  Entity e{"orders", "order", Access::ViaCustomer, "created_by", false, "-ordered_at", {}};
  e.label = {"Commandes", "Orders"};
  e.label_singular = {"Commande", "Order"};
  e.fields = {
      // Orders are the sales history: their customer is archived or merged, never deleted.
      keeps(R("contact_id", "contacts", {"Contact", "Contact"}, "Customer (a contact, an account, or both)")),
      keeps(R("account_id", "accounts", {"Entreprise", "Company"})),
      both(F("ordered_at", K::DateTime, {"Date", "Ordered"}, "Order date; default now")),
      E("channel",
        {{"store", {"Magasin", "Store"}}, {"web", {"Web", "Web"}}, {"phone", {"Téléphone", "Phone"}},
         {"sales_rep", {"Commercial", "Sales rep"}}, {"email", {"E-mail", "E-mail"}},
         {"marketplace", {"Place de marché", "Marketplace"}}, {"other", {"Autre", "Other"}}},
        {"Canal", "Channel"}),
      dflt(E("status",
             {{"draft", {"Brouillon", "Draft"}}, {"confirmed", {"Confirmée", "Confirmed"}}, {"paid", {"Payée", "Paid"}},
              {"shipped", {"Expédiée", "Shipped"}}, {"cancelled", {"Annulée", "Cancelled"}}, {"returned", {"Retournée", "Returned"}}},
             {"Statut", "Status"}, "Default confirmed"),
           "confirmed"),
      dflt(F("currency", K::Currency, {"Devise", "Currency"}, "ISO 4217, default EUR"), "EUR"),
      server(F("subtotal_cents", K::Money, {"Sous-total", "Subtotal"}, "Sum of quantity × unit price, computed from the lines")),
      dflt(F("discount_cents", K::Money, {"Remises", "Discounts"}, "Sum of line discounts when lines are given; else the order's discount"), 0),
      dflt(sortf(F("total_cents", K::Money, {"Total", "Total"}, "Subtotal − discounts when lines are given; else the order's amount")), 0),
      F("notes", K::LongText, {"Notes", "Notes"}),
  };
  e.nested = {"lines", "anonymous"};  // anonymous: true allows an order without customer
  add_common(e);
  e.title_fields = {};
  e.list_columns = {"ordered_at", "contact_id", "account_id", "channel", "status", "total_cents"};
  e.menu_order = 50;
  e.importable = e.exportable = true;
  kernel::ChildCollection lines;
  lines.name = "lines";
  lines.label = {"Lignes", "Lines"};
  lines.fields = {
      R("product_id", "products", {"Produit", "Product"}),
      maxlen(F("description", K::Text, {"Désignation", "Description"}), 500),
      required(F("quantity", K::Integer, {"Quantité", "Quantity"}, "Non-zero; negative for a return")),
      F("unit_price_cents", K::Money, {"Prix unitaire", "Unit price"}, "Default the product's price"),
      dflt(F("discount_cents", K::Money, {"Remise", "Discount"}), 0),
      server(F("total_cents", K::Money, {"Total", "Total"}, "Quantity × unit price − discount")),
  };
  lines.item = "an order line";
  lines.table = "order_lines";
  lines.parent_column = "order_id";
  lines.position_column = "line_no";
  // Real invoices run to a thousand lines and more (Online Retail has one of 1,114); the bound
  // only keeps a single request from growing without limit.
  lines.max_items = 10000;
  lines.also_accepted = {"sku"};
  lines.line = order_line;
  // An import's unknown SKU becomes a product named by the line's description, at its price.
  lines.lookups = {{"sku", "product_id", "sku", {{"name", "description"}, {"unit_price_cents", "unit_price_cents"}}}};
  lines.zero_price_warned = {"unit_price_cents"};
  e.children = {lines};
  e.hooks.rules = order_rules;
  // Import columns as shops and Online Retail name them: an amount in euros is the order's
  // total (ignored in the one-row-per-line form, where lines make the total).
  e.import_aliases = {{"amount", "total_eur"},          {"line_total", "total_eur"},
                      {"line_total_cents", "total_cents"}, {"product_sku", "sku"},
                      {"unit_price", "unit_price_eur"},  {"discount", "discount_eur"}};
  // Import options of orders: a number with the returns prefix is a return; rows without a
  // customer make anonymous orders when allowed.
  e.hooks.import_row = [](const domain::ImportOptions& o, const std::string& ext, nlohmann::json& input) {
    if (!o.returns_prefix.empty() && ext.rfind(o.returns_prefix, 0) == 0 && !input.contains("status"))
      input["status"] = "returned";
    if (o.allow_anonymous && input.value("contact_id", nlohmann::json()).is_null() &&
        input.value("account_id", nlohmann::json()).is_null())
      input["anonymous"] = true;
  };
  return e;
}

}  // namespace

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "orders";
    m.messages_fr = {
      {"an anonymous sale has no contact_id nor account_id", "une vente anonyme n'a ni contact ni compte"},
      {"is required when no product gives the price", "est obligatoire quand aucun produit ne donne le prix"},
      {"must be a non-zero integer from -{max} to {max} (negative for a return)",
       "doit être un entier non nul de -{max} à {max} (négatif pour un retour)"},
      {"must be a text of at most 500 characters", "doit être un texte de 500\u00a0caractères au plus"},
      {"must be an integer from 0 to 10000 basis points (3750 = 37.5 %)", "doit être un entier de 0 à 10\u202f000\u00a0points de base (3750 = 37,5\u00a0%)"},
      {"must be an integer number of cents from 0 to {max}", "doit être un nombre entier de centimes de 0 à {max}"},
      {"must be an integer number of cents from 0 to the line's amount", "doit être un nombre entier de centimes, de 0 au montant de la ligne"},
      {"no product has SKU '{sku}'", "aucun produit n'a la référence «\u00a0{sku}\u00a0»"},
      {"product {id} does not exist", "le produit {id} n'existe pas"},
      {"quantity × unit price exceeds {max} cents", "quantité × prix unitaire dépasse {max}\u00a0centimes"},
      {"the order's subtotal exceeds {max} cents", "le sous-total de la commande dépasse {max}\u00a0centimes"},
    };
    m.label = {"Catalogue et commandes", "Catalogue and orders"};
    m.depends = {"users", "customers"};
    m.entities = {products(), orders()};
    // A customer's 360° shows its latest orders and its value figures (revenue, order count…).
    m.view360 = [](domain::View360& v) {
      if (!domain::entity("orders").field(v.column)) return;
      v.out["orders"] = v.related_json("orders", "-ordered_at", 10);
      v.read(store::OrderStore::value_figures(v.column, v.id, v.out["value"]));
    };
    for (auto rights : {grant({"manager"}, "products", true, Delete::Any),
                        grant({"sales", "service", "marketing", "read_only"}, "products", false, Delete::None),
                        grant({"manager"}, "orders", true, Delete::Any), grant({"sales"}, "orders", true, Delete::Own),
                        grant({"service", "marketing", "read_only"}, "orders", false, Delete::None)})
      m.rights.insert(m.rights.end(), rights.begin(), rights.end());
    return m;
  }();
  return m;
}

}  // namespace gz::modules::orders
