// Placeholder entry point so the web project builds; replaced when the real host is merged.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.Run();

public partial class Program;
