// The catalogue's types and lookups (kernel/catalogue.h), named in the domain's namespace for
// the services written against them.
#pragma once
#include "kernel/catalogue.h"

namespace gz::domain {

using kernel::Access;
using kernel::Entity;
using kernel::entities;
using kernel::entity;
using kernel::Field;
using kernel::FieldKind;
using kernel::find_entity;
using kernel::kind_name;

}  // namespace gz::domain
