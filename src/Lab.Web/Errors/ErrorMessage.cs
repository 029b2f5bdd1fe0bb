namespace Lab.Web.Errors;

/// <summary>The JSON body of every error outside pages: <c>{"message": "..."}</c>, as the Docker API words it.</summary>
public sealed record ErrorMessage(string Message);
