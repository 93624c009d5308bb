using Microsoft.EntityFrameworkCore;

namespace IncidentOps.Identity.Model;

/// <summary>
/// OpenIddict's applications, authorizations and tokens. In memory: this provider serves development and tests,
/// where a restart signing everyone out is acceptable.
/// </summary>
public sealed class IdentityStore(DbContextOptions<IdentityStore> options) : DbContext(options);
