// The web's composition root: every module of the interface, in one list. A module is a folder
// (web/src/modules/<name>/) whose index.tsx exports a ModuleDef (kernel/registry.ts): its page
// overrides and extensions per catalogue entity, its extra routes and navigation entries, what it
// adds to the 360° pages. Entities with no override get the kernel's generic list, form and
// record page from the catalogue the server serves. Adding a module is a folder and one line here.
import { registerModules } from '../kernel/registry';
import { activity } from './activity';
import { analytics } from './analytics';
import { customers } from './customers';
import { email } from './email';
import { importModule } from './import';
import { merge } from './merge';
import { orders } from './orders';
import { sales } from './sales';
import { service } from './service';
import { settings } from './settings';
import { users } from './users';

registerModules([customers, activity, orders, sales, email, analytics, merge, importModule, service, settings, users]);
