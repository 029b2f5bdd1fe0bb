using Lab.Web.Classes;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Lab.Web.Accounts;

/// <summary>Accounts (ASP.NET Core Identity), who owns which lab machine, and classes with their members. SQLite file LAB_DATA/lab.db;
/// the schema is changed only by migrations (Accounts/Migrations), applied when the server starts.</summary>
public sealed class LabDbContext(DbContextOptions<LabDbContext> options) : IdentityDbContext<LabUser>(options)
{
    public DbSet<UserMachine> UserMachines => Set<UserMachine>();

    public DbSet<Classroom> Classes => Set<Classroom>();

    public DbSet<ClassMember> ClassMembers => Set<ClassMember>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<IdentityRole>().HasData(LabRoles.Seed);
        builder.ApplyConfiguration(new Exercises.ExerciseResultConfiguration());
        builder.ApplyConfiguration(new ClassroomConfiguration());
        builder.ApplyConfiguration(new ClassMemberConfiguration());
        builder.Entity<UserMachine>(machine =>
        {
            machine.HasKey(m => m.UserId);
            machine.Property(m => m.MachineName).HasMaxLength(63);
            machine.HasIndex(m => m.MachineName).IsUnique();
            machine.HasOne<LabUser>().WithOne().HasForeignKey<UserMachine>(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
