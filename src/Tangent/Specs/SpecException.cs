namespace Tangent.Specs;

/// <summary>
/// A spec that cannot be read or makes no sense. <see cref="Exception.Message"/> is one line naming the offending token
/// and its position (a character offset in the text form, a JSON path in the JSON form).
/// </summary>
public sealed class SpecException(string message) : Exception(message);
