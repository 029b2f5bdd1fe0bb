namespace Lab.Web.Localization;

/// <summary>Marker type of the UI strings. Keys are the English text; SharedResource.fr.resx holds French.
/// Lessons themselves are not translated: they are written in their course's language.</summary>
public sealed class SharedResource;
