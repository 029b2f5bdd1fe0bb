using Lab.Web.Localization;
using Microsoft.Extensions.Localization;

namespace Lab.Web.Classes;

/// <summary>The sentence a form shows for a <see cref="ClassProblem"/>, in the visitor's language.</summary>
public static class ClassProblems
{
    /// <param name="subject">What the problem is about: the slug, the code's class or the user name.</param>
    public static string Describe(this IStringLocalizer<SharedResource> text, ClassProblem problem, string subject) => problem switch
    {
        ClassProblem.InvalidSlug => text["The short name '{0}' is invalid: use lowercase letters and digits, separated by dashes (at most {1} characters).", subject, ClassSlugs.MaxLength],
        ClassProblem.SlugTaken => text["The short name '{0}' is already taken.", subject],
        ClassProblem.UnknownCode => text["No class has this code. Check it with your instructor."],
        ClassProblem.AlreadyMember => text["You are already a member of {0}.", subject],
        ClassProblem.UnknownUser => text["No account is named '{0}'.", subject],
        ClassProblem.NotAnInstructor => text["'{0}' is not an instructor account.", subject],
        ClassProblem.AlreadyInstructor => text["'{0}' already teaches this class.", subject],
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, null),
    };
}
