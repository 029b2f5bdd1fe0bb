using System.Text;

namespace Lab.Engine.Build.Parsing;

/// <summary>The Dockerfile word expander (moby/buildkit frontend/dockerfile/shell lex.go), which the builder
/// applies to the arguments of FROM, ENV, ARG, LABEL, COPY/ADD, WORKDIR, USER, EXPOSE, VOLUME, STOPSIGNAL:
/// single quotes are literal, double quotes allow <c>$</c> expansion and escaping of <c>" $ \</c>, the escape
/// character escapes anything outside quotes, and <c>$a ${a} ${a:-b} ${a-b} ${a:+b} ${a+b} ${a:?msg} ${a?msg}</c>
/// expand from the environment. <see cref="ProcessWord"/> gives one string; <see cref="ProcessWords"/> splits on
/// unquoted whitespace, including whitespace that an expansion brought in.</summary>
public sealed class ShellWords(IReadOnlyList<string> env, char escape = '\\')
{
    public string ProcessWord(string word) => new Lexer(word, env, escape).Run().Word;

    public IReadOnlyList<string> ProcessWords(string word) => new Lexer(word, env, escape).Run().Words;

    /// <summary>buildkit's parseWords: splits an instruction's text on whitespace outside quotes, keeping quotes
    /// and escapes in the words (the expander removes them later).</summary>
    public static IReadOnlyList<string> SplitWords(string rest, char escape)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var blankOk = false;
        char quote = '\0';
        for (var i = 0; i < rest.Length; i++)
        {
            var c = rest[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == escape && quote != '\'')
                {
                    if (i + 1 == rest.Length) continue;
                    word.Append(c);
                    c = rest[++i];
                }
                word.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
                word.Clear();
                inWord = blankOk = false;
                continue;
            }
            inWord = true;
            if (c is '\'' or '"')
            {
                quote = c;
                blankOk = true;
            }
            else if (c == escape)
            {
                if (i + 1 == rest.Length) continue;
                word.Append(c);
                c = rest[++i];
            }
            word.Append(c);
        }
        if (inWord && (blankOk || word.Length > 0)) words.Add(word.ToString());
        return words;
    }

    sealed class Lexer(string source, IReadOnlyList<string> env, char escape)
    {
        int _position;

        const int End = -1;
        int Peek() => _position < source.Length ? source[_position] : End;
        int Next() => _position < source.Length ? source[_position++] : End;

        public (string Word, List<string> Words) Run()
        {
            var (word, words) = ProcessUntil(End);
            return (word, words);
        }

        (string, List<string>) ProcessUntil(int stop)
        {
            var result = new StringBuilder();
            var words = new WordSplitter();
            while (Peek() != End)
            {
                var c = Peek();
                if (stop != End && c == stop)
                {
                    Next();
                    return (result.ToString(), words.Words());
                }
                if (c is '\'' or '"' or '$')
                {
                    var part = c switch { '\'' => SingleQuoted(), '"' => DoubleQuoted(), _ => Dollar() };
                    result.Append(part);
                    if (c == '$') words.AddString(part);
                    else words.AddRaw(part);
                    continue;
                }
                c = Next();
                if (c == escape)
                {
                    c = Next();
                    if (c == End) break;
                    words.AddRaw(((char)c).ToString());
                }
                else words.AddChar((char)c);
                result.Append((char)c);
            }
            if (stop != End)
                throw new FormatException($"unexpected end of statement while looking for matching {(char)stop}");
            return (result.ToString(), words.Words());
        }

        string SingleQuoted()
        {
            Next();
            var result = new StringBuilder();
            while (true)
            {
                var c = Next();
                if (c == End) throw new FormatException("unexpected end of statement while looking for matching single-quote");
                if (c == '\'') return result.ToString();
                result.Append((char)c);
            }
        }

        string DoubleQuoted()
        {
            Next();
            var result = new StringBuilder();
            while (true)
            {
                var c = Peek();
                if (c == End) throw new FormatException("unexpected end of statement while looking for matching double-quote");
                if (c == '"')
                {
                    Next();
                    return result.ToString();
                }
                if (c == '$')
                {
                    result.Append(Dollar());
                    continue;
                }
                c = Next();
                if (c == escape)
                {
                    var next = Peek();
                    if (next == End) continue;
                    if (next == '"' || next == '$' || next == escape) c = Next();
                }
                result.Append((char)c);
            }
        }

        string Dollar()
        {
            Next();
            if (Peek() != '{')
            {
                var simple = Name();
                return simple.Length == 0 ? "$" : Lookup(simple) ?? "";
            }
            Next();
            var first = Peek();
            if (first == End) throw new FormatException("syntax error: missing '}'");
            if (first is '{' or '}' or ':') throw new FormatException("syntax error: bad substitution");
            var name = Name();
            var c = Next();
            var value = Lookup(name);
            switch (c)
            {
                case '}':
                    return value ?? "";
                case '-' or '+' or '?':
                {
                    var (word, _) = ProcessUntil('}');
                    return Modify(name, value, (char)c, word, colon: false);
                }
                case ':':
                {
                    var modifier = Next();
                    var (word, _) = ProcessUntil('}');
                    return Modify(name, value, (char)modifier, word, colon: true);
                }
                case End:
                    throw new FormatException("syntax error: missing '}'");
                default:
                    throw new FormatException($"unsupported modifier ({(char)c}) in substitution");
            }
        }

        /// <summary>With a colon, an empty value counts as unset (POSIX).</summary>
        static string Modify(string name, string? value, char modifier, string word, bool colon)
        {
            var set = colon ? !string.IsNullOrEmpty(value) : value is not null;
            return modifier switch
            {
                '-' => set ? value! : word,
                '+' => set ? word : "",
                '?' => set ? value! : throw new FormatException(
                    $"{name}: {(word.Length > 0 ? word : value is null ? "is not allowed to be unset" : "is not allowed to be empty")}"),
                _ => throw new FormatException($"unsupported modifier ({modifier}) in substitution"),
            };
        }

        string Name()
        {
            var name = new StringBuilder();
            while (Peek() != End)
            {
                var c = (char)Peek();
                if (name.Length == 0 && char.IsDigit(c))
                {
                    while (Peek() != End && char.IsDigit((char)Peek())) name.Append((char)Next());
                    return name.ToString();
                }
                if (!char.IsLetterOrDigit(c) && c != '_') break;
                name.Append((char)Next());
            }
            return name.ToString();
        }

        string? Lookup(string name)
        {
            foreach (var entry in env)
            {
                var eq = entry.IndexOf('=');
                var key = eq < 0 ? entry : entry[..eq];
                if (key == name) return eq < 0 ? "" : entry[(eq + 1)..];
            }
            return null;
        }
    }

    /// <summary>moby's wordsStruct: raw text (quoted, escaped) never splits a word; plain and expanded text
    /// splits on whitespace.</summary>
    sealed class WordSplitter
    {
        readonly List<string> _words = [];
        readonly StringBuilder _word = new();
        bool _inWord;

        public void AddChar(char c)
        {
            if (char.IsWhiteSpace(c))
            {
                if (_inWord && _word.Length > 0)
                {
                    _words.Add(_word.ToString());
                    _word.Clear();
                    _inWord = false;
                }
                return;
            }
            _word.Append(c);
            _inWord = true;
        }

        public void AddString(string text)
        {
            foreach (var c in text) AddChar(c);
        }

        public void AddRaw(string text)
        {
            _word.Append(text);
            _inWord = true;
        }

        public List<string> Words()
        {
            if (_word.Length > 0) _words.Add(_word.ToString());
            _word.Clear();
            _inWord = false;
            return _words;
        }
    }
}
