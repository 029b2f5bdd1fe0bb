using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Lab.Web.Accounts;

/// <summary>For `dotnet ef migrations add` only: the tool builds the context from here instead of starting the
/// `lab` command (whose Main is a command line, not a host builder).</summary>
internal sealed class LabDbContextFactory : IDesignTimeDbContextFactory<LabDbContext>
{
    public LabDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<LabDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
