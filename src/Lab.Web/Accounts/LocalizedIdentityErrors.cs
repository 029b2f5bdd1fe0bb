using Lab.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Accounts;

/// <summary>Identity's error messages in the visitor's language (the ones registration and sign-in can show).</summary>
internal sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> t) : IdentityErrorDescriber
{
    public override IdentityError DefaultError() => Error(nameof(DefaultError), t["An unknown failure has occurred."]);

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), t["The user name '{0}' is already taken.", userName]);

    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), t["The user name '{0}' is invalid: use letters, digits and - . _ @ +", userName ?? ""]);

    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), t["The password must be at least {0} characters long.", length]);

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), t["Incorrect password."]);

    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), t["The account was changed at the same time; try again."]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
