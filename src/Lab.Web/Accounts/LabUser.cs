using Microsoft.AspNetCore.Identity;

namespace Lab.Web.Accounts;

/// <summary>An account: student, instructor or admin (see <see cref="LabRoles"/>).</summary>
public sealed class LabUser : IdentityUser;
