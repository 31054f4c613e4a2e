#include "modules/demo/module.h"

#include "cli/cli.h"

namespace gz::modules::demo {

const kernel::Module& module() {
  static const kernel::Module m = [] {
    kernel::Module m;
    m.name = "demo";
    m.label = {"Données de démonstration", "Demo data"};
    m.messages_fr = {
      {"{done} / {total}  {percent} %  {rate} rows/s  {seconds} s",
       "{done} / {total}  {percent}\u00a0%  {rate}\u00a0lignes/s  {seconds}\u00a0s"},
      {"Demo data added: {accounts} accounts, {households} households, {contacts} contacts, {interactions} "
       "interactions, {tasks} tasks, {orders} orders in {seconds} s (database {db})",
       "Données de démonstration ajoutées\u00a0: {accounts}\u00a0comptes, {households}\u00a0foyers, "
       "{contacts}\u00a0contacts, {interactions}\u00a0échanges, {tasks}\u00a0relances, {orders}\u00a0commandes "
       "en {seconds}\u00a0s (base {db})"},
      {"Log in as {email} with password {password}", "Connectez-vous avec {email}, mot de passe {password}"},
    };
    m.depends = {"users", "customers", "activity", "orders", "sales"};
    m.commands = cli::add_demo_command;  // cmd_demo.cpp
    return m;
  }();
  return m;
}

}  // namespace gz::modules::demo
