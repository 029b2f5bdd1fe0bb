using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Lab.Web.Classes;

/// <summary>The tables' shape; applied by <see cref="Accounts.LabDbContext"/>.</summary>
public sealed class ClassroomConfiguration : IEntityTypeConfiguration<Classroom>
{
    public void Configure(EntityTypeBuilder<Classroom> classroom)
    {
        classroom.ToTable("Classes");
        classroom.Property(c => c.Name).HasMaxLength(ClassSlugs.MaxNameLength);
        classroom.Property(c => c.Slug).HasMaxLength(ClassSlugs.MaxLength);
        classroom.Property(c => c.JoinCode).HasMaxLength(JoinCodes.Length);
        classroom.HasIndex(c => c.Slug).IsUnique();
        classroom.HasIndex(c => c.JoinCode).IsUnique();
        classroom.HasMany(c => c.Members).WithOne().HasForeignKey(m => m.ClassroomId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class ClassMemberConfiguration : IEntityTypeConfiguration<ClassMember>
{
    public void Configure(EntityTypeBuilder<ClassMember> member)
    {
        member.ToTable("ClassMembers");
        member.HasKey(m => new { m.ClassroomId, m.UserId });
        member.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        member.HasIndex(m => new { m.UserId, m.Role }); // "the classes of this user", and the preview rule's lookup
        member.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
