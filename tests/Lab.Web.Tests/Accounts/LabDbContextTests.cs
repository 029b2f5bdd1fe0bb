using Lab.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Lab.Web.Tests.Accounts;

public sealed class LabDbContextTests
{
    [Fact]
    public void The_migrations_describe_the_current_model()
    {
        using var db = new LabDbContext(new DbContextOptionsBuilder<LabDbContext>().UseSqlite("Data Source=:memory:").Options);

        // Fails when the model changed without `dotnet ef migrations add` (see .config/dotnet-tools.json).
        Assert.False(db.Database.HasPendingModelChanges());
        Assert.NotEmpty(db.Database.GetMigrations());
    }
}
