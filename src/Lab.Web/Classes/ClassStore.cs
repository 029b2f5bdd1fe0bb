using Lab.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Lab.Web.Classes;

/// <summary>Classes and their members in the accounts database. Every change checks its own preconditions and
/// answers with a <see cref="ClassProblem"/> the pages turn into a form error; who may ask for a change (the
/// class's instructors, admins) is the pages' decision, with <see cref="MayManage"/>.</summary>
public sealed class ClassStore(LabDbContext db, UserManager<LabUser> users)
{
    public async Task<(Classroom? Class, ClassProblem? Problem)> CreateAsync(string name, string slug, string creatorId,
        CancellationToken ct = default)
    {
        if (!ClassSlugs.IsValid(slug))
        {
            return (null, ClassProblem.InvalidSlug);
        }

        if (ClassSlugs.IsReserved(slug) || await db.Set<Classroom>().AnyAsync(c => c.Slug == slug, ct)
            || await users.FindByNameAsync(slug) is not null)
        {
            return (null, ClassProblem.SlugTaken); // a user's name is their registry namespace
        }

        var classroom = new Classroom { Name = name.Trim(), Slug = slug, JoinCode = JoinCodes.New() };
        classroom.Members.Add(new ClassMember { UserId = creatorId, Role = ClassRole.Instructor });
        db.Add(classroom);
        try
        {
            await SaveWithFreshCodeAsync(classroom, ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (await db.Set<Classroom>().AnyAsync(c => c.Slug == slug, ct))
            {
                return (null, ClassProblem.SlugTaken); // created by someone else at the same moment
            }

            throw;
        }

        return (classroom, null);
    }

    /// <summary>The class with its members (and their accounts), or null.</summary>
    public Task<Classroom?> FindAsync(string slug, CancellationToken ct = default) =>
        db.Set<Classroom>().Include(c => c.Members).ThenInclude(m => m.User).AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Slug == slug, ct);

    /// <summary>The classes <paramref name="userId"/> teaches or attends, by name.</summary>
    public async Task<IReadOnlyList<(Classroom Class, ClassRole Role)>> OfUserAsync(string userId, CancellationToken ct = default)
    {
        var rows = await db.Set<ClassMember>().AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Set<Classroom>(), m => m.ClassroomId, c => c.Id, (m, c) => new { Class = c, m.Role })
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.Class.Name, StringComparer.CurrentCultureIgnoreCase).Select(r => (r.Class, r.Role))];
    }

    /// <summary>Every class (for admins), by name.</summary>
    public async Task<IReadOnlyList<Classroom>> AllAsync(CancellationToken ct = default) =>
        [.. (await db.Set<Classroom>().AsNoTracking().ToListAsync(ct)).OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase)];

    public async Task<(Classroom? Class, ClassProblem? Problem)> JoinAsync(string? typedCode, string userId, CancellationToken ct = default)
    {
        var code = JoinCodes.Normalize(typedCode);
        var classroom = code is null ? null : await db.Set<Classroom>().FirstOrDefaultAsync(c => c.JoinCode == code, ct);
        if (classroom is null)
        {
            return (null, ClassProblem.UnknownCode);
        }

        if (await db.Set<ClassMember>().AnyAsync(m => m.ClassroomId == classroom.Id && m.UserId == userId, ct))
        {
            return (classroom, ClassProblem.AlreadyMember);
        }

        db.Add(new ClassMember { ClassroomId = classroom.Id, UserId = userId, Role = ClassRole.Student });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return (classroom, ClassProblem.AlreadyMember); // the same form sent twice at once
        }

        return (classroom, null);
    }

    /// <summary>Makes an instructor account (role instructor or admin) a co-instructor; a student of the class
    /// who is such an account becomes its instructor.</summary>
    public async Task<ClassProblem?> AddInstructorAsync(Classroom classroom, string userName, CancellationToken ct = default)
    {
        if (await users.FindByNameAsync(userName.Trim()) is not { } user)
        {
            return ClassProblem.UnknownUser;
        }

        // Teaching a class means seeing its students' apps and pushing for it: only for accounts already trusted to teach.
        if (!await users.IsInRoleAsync(user, LabRoles.Instructor) && !await users.IsInRoleAsync(user, LabRoles.Admin))
        {
            return ClassProblem.NotAnInstructor;
        }

        var member = await db.Set<ClassMember>().FirstOrDefaultAsync(m => m.ClassroomId == classroom.Id && m.UserId == user.Id, ct);
        if (member is { Role: ClassRole.Instructor })
        {
            return ClassProblem.AlreadyInstructor;
        }

        if (member is null)
        {
            db.Add(new ClassMember { ClassroomId = classroom.Id, UserId = user.Id, Role = ClassRole.Instructor });
        }
        else
        {
            member.Role = ClassRole.Instructor;
        }

        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Removes a student (never an instructor) from the class. False when they were not its student.</summary>
    public async Task<bool> RemoveStudentAsync(Classroom classroom, string userId, CancellationToken ct = default) =>
        await db.Set<ClassMember>()
            .Where(m => m.ClassroomId == classroom.Id && m.UserId == userId && m.Role == ClassRole.Student)
            .ExecuteDeleteAsync(ct) > 0;

    /// <summary>A new join code: the old one stops working at once (members stay).</summary>
    public async Task RegenerateCodeAsync(Classroom classroom, CancellationToken ct = default)
    {
        classroom.JoinCode = JoinCodes.New();
        await SaveWithFreshCodeAsync(classroom, ct);
    }

    /// <summary>Whether <paramref name="instructorId"/> teaches a class that the owner of the lab machine
    /// <paramref name="machineName"/> attends: one indexed query.</summary>
    public Task<bool> TeachesOwnerOfMachineAsync(string instructorId, string machineName, CancellationToken ct = default) =>
        (from machine in db.UserMachines
         where machine.MachineName == machineName
         join student in db.Set<ClassMember>() on machine.UserId equals student.UserId
         where student.Role == ClassRole.Student
         join teacher in db.Set<ClassMember>() on student.ClassroomId equals teacher.ClassroomId
         where teacher.UserId == instructorId && teacher.Role == ClassRole.Instructor
         select teacher.UserId).AnyAsync(ct);

    /// <summary>The user names of the instructors of the class whose slug is <paramref name="slug"/>, or null
    /// when no class has it.</summary>
    public async Task<IReadOnlyList<string>?> InstructorNamesAsync(string slug, CancellationToken ct = default)
    {
        var classId = await db.Set<Classroom>().Where(c => c.Slug == slug).Select(c => (int?)c.Id).FirstOrDefaultAsync(ct);
        if (classId is null)
        {
            return null;
        }

        return await db.Set<ClassMember>()
            .Where(m => m.ClassroomId == classId && m.Role == ClassRole.Instructor)
            .Select(m => m.User.UserName!)
            .ToListAsync(ct);
    }

    /// <summary>Whether <paramref name="userId"/> (with admin rights or not) may see the code and change the class.</summary>
    public static bool MayManage(Classroom classroom, string? userId, bool isAdmin) =>
        isAdmin || classroom.Members.Any(m => m.UserId == userId && m.Role == ClassRole.Instructor);

    /// <summary>Saves; if the random join code happens to be taken already, draws another.</summary>
    private async Task SaveWithFreshCodeAsync(Classroom classroom, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                if (!await db.Set<Classroom>().AnyAsync(c => c.JoinCode == classroom.JoinCode && c.Id != classroom.Id, ct))
                {
                    throw;
                }

                classroom.JoinCode = JoinCodes.New();
            }
        }
    }
}

/// <summary>Why a change to a class was refused.</summary>
public enum ClassProblem
{
    InvalidSlug,
    SlugTaken,
    UnknownCode,
    AlreadyMember,
    UnknownUser,
    NotAnInstructor,
    AlreadyInstructor,
}
