import Foundation
import Testing
@testable import ClawGuardCore

/// Parses and returns every simple command's argv (commands without words, such as loop headers, are skipped).
func argvs(_ source: String) throws -> [[String]] {
    try ShellParser().parse(source).commands.filter { !$0.words.isEmpty }.map(\.argv)
}

struct ShellParserCase: CustomTestStringConvertible, Sendable {
    var source: String
    var expected: [[String]]
    var testDescription: String { source }
    init(_ source: String, _ expected: [[String]]) {
        self.source = source
        self.expected = expected
    }
}

@Suite struct ShellParserTests {
    static let cases: [ShellParserCase] = [
        // Quoting
        .init("echo hello", [["echo", "hello"]]),
        .init("echo 'a b' \"c d\"", [["echo", "a b", "c d"]]),
        .init("echo a\\ b", [["echo", "a b"]]),
        .init("echo ''", [["echo", ""]]),
        .init("echo \"\"", [["echo", ""]]),
        .init("echo 'it'\\''s'", [["echo", "it's"]]),
        .init("echo \"a\\\"b\"", [["echo", "a\"b"]]),
        .init("echo \"a\\nb\"", [["echo", "a\\nb"]]),
        .init("echo $'a\\nb'", [["echo", "a\nb"]]),
        .init("$'\\x72\\x6d' -rf /", [["rm", "-rf", "/"]]),
        .init("$'\\162\\155' x", [["rm", "x"]]),
        .init("$'\\u0072m' x", [["rm", "x"]]),
        .init("r\"\"m -rf x", [["rm", "-rf", "x"]]),
        .init("r''m x", [["rm", "x"]]),
        .init("\\rm x", [["rm", "x"]]),
        .init("ec\\\nho hi", [["echo", "hi"]]),
        .init("echo a\\\n b", [["echo", "a", "b"]]),
        .init("echo $\"x\"", [["echo", "x"]]),
        .init("echo \"$HOME/x\"", [["echo", "$HOME/x"]]),
        .init("echo ${HOME}/x", [["echo", "${HOME}/x"]]),
        .init("echo a#b", [["echo", "a#b"]]),
        .init("echo a # comment", [["echo", "a"]]),
        .init("# only a comment\necho x", [["echo", "x"]]),
        // Lists and pipelines
        .init("a; b", [["a"], ["b"]]),
        .init("a && b || c", [["a"], ["b"], ["c"]]),
        .init("a | b |& c", [["a"], ["b"], ["c"]]),
        .init("a & b", [["a"], ["b"]]),
        .init("a\nb\n\nc", [["a"], ["b"], ["c"]]),
        .init("git status; rm -rf ~", [["git", "status"], ["rm", "-rf", "~"]]),
        .init("a &&\n b", [["a"], ["b"]]),
        .init("a |\n b", [["a"], ["b"]]),
        .init("! a", [["a"]]),
        .init("time a -x", [["a", "-x"]]),
        // Grouping
        .init("(a; b)", [["a"], ["b"]]),
        .init("{ a; b; }", [["a"], ["b"]]),
        .init("(cd x && make)", [["cd", "x"], ["make"]]),
        .init("{ a\n}", [["a"]]),
        // Substitutions
        .init("echo $(whoami)", [["whoami"], ["echo", "$(whoami)"]]),
        .init("echo `whoami`", [["whoami"], ["echo", "`whoami`"]]),
        .init("echo $(echo $(id))", [["id"], ["echo", "$(id)"], ["echo", "$(echo $(id))"]]),
        .init("echo `echo \\`id\\``", [["id"], ["echo", "`id`"], ["echo", "`echo \\`id\\``"]]),
        .init("diff <(ls a) >(cat)", [["ls", "a"], ["cat"], ["diff", "<(ls a)", ">(cat)"]]),
        .init("echo $((1 + 2))", [["echo", "$((1 + 2))"]]),
        .init("echo $(( $(id -u) + 1 ))", [["id", "-u"], ["echo", "$(( $(id -u) + 1 ))"]]),
        .init("echo ${x:-$(rm -rf ~)}", [["rm", "-rf", "~"], ["echo", "${x:-$(rm -rf ~)}"]]),
        .init("echo \"$(cat a)\"", [["cat", "a"], ["echo", "$(cat a)"]]),
        .init("x=$(date)", [["date"]]),
        .init("echo $(case x in x) echo y;; esac)", [["echo", "y"], ["echo", "$(case x in x) echo y;; esac)"]]),
        // Redirections
        .init("echo x > f", [["echo", "x"]]),
        .init("cat < f > g 2>&1", [["cat"]]),
        .init("cmd &> log", [["cmd"]]),
        .init("cmd 2>/dev/null", [["cmd"]]),
        .init("cmd >| f", [["cmd"]]),
        .init("exec 3<> f", [["exec"]]),
        .init("cmd {fd}> f", [["cmd"]]),
        .init("> f", []),
        // Here-documents and here-strings
        .init("cat <<EOF\nhello $(id)\nEOF", [["cat"], ["id"]]),
        .init("cat <<'EOF'\nhello $(id)\nEOF", [["cat"]]),
        .init("cat <<-EOF\n\thello\n\tEOF\necho after", [["cat"], ["echo", "after"]]),
        .init("cat <<EOF | grep x\nbody\nEOF", [["cat"], ["grep", "x"]]),
        .init("grep x <<< \"$(id)\"", [["id"], ["grep", "x"]]),
        .init("git commit -m \"$(cat <<'EOF'\nmsg\nEOF\n)\"", [["cat"], ["git", "commit", "-m", "$(cat <<'EOF'\nmsg\nEOF\n)"]]),
        // Assignments
        .init("A=1 B=2 cmd x", [["cmd", "x"]]),
        .init("PAGER='sh -c id' git log", [["git", "log"]]),
        .init("a=(1 2 3)", []),
        .init("a+=x", []),
        // Compound commands
        .init("if a; then b; elif c; then d; else e; fi", [["a"], ["b"], ["c"], ["d"], ["e"]]),
        .init("for f in a b; do echo $f; done", [["echo", "$f"]]),
        .init("for f in *.py\ndo\n  cat \"$f\"\ndone", [["cat", "$f"]]),
        .init("for ((i=0; i<3; i++)); do echo $i; done", [["echo", "$i"]]),
        .init("while read l; do echo $l; done < f", [["read", "l"], ["echo", "$l"]]),
        .init("until false; do x; done", [["false"], ["x"]]),
        .init("case $x in a|b) echo ab;; *) echo other;; esac", [["echo", "ab"], ["echo", "other"]]),
        .init("case x in\n  (a) one ;;\n  b) two ;&\n  c) three ;;&\nesac", [["one"], ["two"], ["three"]]),
        .init("f() { rm -rf /; }; f", [["rm", "-rf", "/"], ["f"]]),
        .init("function g { id; }", [["id"]]),
        .init("function h() ( id )", [["id"]]),
        .init(":(){ :|:& };:", [[":"], [":"], [":"]]),
        .init("[[ -f x && $(id) ]]", [["id"], ["[[", "-f", "x", "$(id)", "]]"]]),
        .init("(( x = $(id -u) ))", [["id", "-u"]]),
        .init("select x in a b; do echo $x; done", [["echo", "$x"]]),
        .init("coproc cat", [["cat"]]),
        // Brace expansion
        .init("{rm,-rf,/}", [["rm", "-rf", "/"]]),
        .init("echo a{b,c}d", [["echo", "abd", "acd"]]),
        .init("echo {1..3}", [["echo", "1", "2", "3"]]),
        .init("echo '{a,b}'", [["echo", "{a,b}"]]),
        .init("find . -exec rm {} \\;", [["find", ".", "-exec", "rm", "{}", ";"]]),
        // Tilde
        .init("cat ~/.ssh/id_rsa", [["cat", "~/.ssh/id_rsa"]]),
        .init("cat ~root/x", [["cat", "~root/x"]]),
        .init("echo '~'", [["echo", "~"]]),
    ]

    @Test(arguments: cases)
    func parses(_ c: ShellParserCase) throws {
        #expect(try argvs(c.source) == c.expected)
    }

    static let errors: [String] = [
        "echo 'unterminated", "echo \"unterminated", "echo $(unterminated", "echo `unterminated", "if a; then b",
        "for x in a; do b", "case x in a) b;;", "a && ", "a |", "(a", "a)", "{ a", "echo ${x", "cat <", "a ;; b",
        "then x", "fi", "done", "echo $((1+2)", "f() x (", "| a", "&& a", "; a",
        // Found by fuzzing: a `)` in the word list of `for` used to loop forever.
        "for f in *.py)\n in *.pdo\n  cat`x",
    ]

    @Test(arguments: errors)
    func refusesMalformed(_ source: String) {
        #expect(throws: ClawGuardError.self) { try ShellParser().parse(source) }
    }

    @Test func nestingLimit() {
        let deep = String(repeating: "$(", count: 200) + "id" + String(repeating: ")", count: 200)
        #expect {
            try ShellParser().parse(deep)
        } throws: { error in
            (error as? ClawGuardError)?.code == .limitExceeded
        }
    }

    @Test func sizeLimit() {
        let huge = "echo " + String(repeating: "a", count: 2 << 20)
        #expect {
            try ShellParser().parse(huge)
        } throws: { error in
            (error as? ClawGuardError)?.code == .limitExceeded
        }
    }

    @Test func braceBombLimit() {
        let bomb = "echo " + String(repeating: "{a,b}", count: 20)
        #expect {
            try ShellParser().parse(bomb)
        } throws: { error in
            (error as? ClawGuardError)?.code == .limitExceeded
        }
    }

    @Test func contexts() throws {
        let script = try ShellParser().parse("a | b & $(c); d <(e)")
        let byName = Dictionary(script.commands.map { ($0.argv.first ?? "", $0.context) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["a"]?.contains(.pipeline) == true)
        #expect(byName["b"]?.contains(.pipedInput) == true)
        #expect(byName["b"]?.contains(.background) == true)
        #expect(byName["c"]?.contains(.substitution) == true)
        #expect(byName["e"]?.contains(.processSubstitution) == true)
        #expect(byName["d"] == [])
    }

    @Test func redirections() throws {
        let script = try ShellParser().parse("cmd < in > out 2>> err &> both 2>&1 <<< s")
        let kinds = script.commands[0].redirections.map { "\($0.op) \($0.kind.rawValue) \($0.target.text)" }
        #expect(kinds == ["< read in", "> write out", "2>> write err", "&> write both", "2>& duplicate 1", "<<< hereString s"])
    }

    @Test func hereDocumentBody() throws {
        let script = try ShellParser().parse("bash <<EOF\nrm -rf ~\nEOF\necho done")
        let redirection = try #require(script.commands.first?.redirections.first)
        #expect(redirection.hereDocumentBody == "rm -rf ~\n")
        #expect(redirection.hereDocumentExpands)
        #expect(script.commands.map(\.argv) == [["bash"], ["echo", "done"]])
    }

    @Test func dynamicWords() throws {
        let script = try ShellParser().parse("$a$b x \"$HOME\" ~/y *.py")
        let words = script.commands[0].words
        #expect(!words[0].isStatic)
        #expect(words[1].isStatic)
        #expect(!words[2].isStatic)
        #expect(words[2].resolved(variables: ["HOME": "/home/u"]) == "/home/u")
        #expect(words[3].resolved(variables: ["HOME": "/home/u"]) == "/home/u/y")
        #expect(words[4].hasGlob)
    }

    @Test func functionsAreRecorded() throws {
        let script = try ShellParser().parse(":(){ :|:& };:")
        #expect(script.functions.first?.name == ":")
        #expect(script.functions.first?.backgroundCalls.contains(":") == true)
    }
}

@Suite struct FuzzRegressionTests {
    /// Inputs the fuzzer found (Fuzz/corpus/regression-*): each must parse or fail with an error, never crash.
    static let inputs: [String] = [
        "42F0IDw8xv//////AAAAAAA6KCkKAAAAAAAAAHsgOnw6JiB9AAB7IDp8Ov//AAoKCgoKCgo9ZiAKCgoKCgtFT0ZUXGVc",
    ]

    @Test(arguments: inputs)
    func noCrash(_ base64: String) throws {
        let data = try #require(Data(base64Encoded: base64))
        let source = String(decoding: data, as: UTF8.self)
        _ = try? ShellParser().parse(source)
        _ = try? CommandAnalyzer().analyze(source, cwd: "/work/project", home: "/home/dev")
    }
}
