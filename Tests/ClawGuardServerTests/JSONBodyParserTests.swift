import ClawGuardCore
@testable import ClawGuardServer
import Foundation
import Testing

/// The gateway's body parser accepts and refuses what `JSONDecoder` does for `JSONValue` (differential: the
/// expected result of every case is `JSONDecoder`'s, computed here).
@Suite struct JSONBodyParserTests {
    static let cases: [String] = [
        #"{}"#, #"[]"#, #" {"a" : 1 } "#, #"{"tool":"Bash","input":{"command":"echo hi"},"cwd":"/tmp","wait":false}"#,
        #"{"a":[1,2.5,-0,1e3,1E-2,-12.75e+2,true,false,null,"x"]}"#, #"{"a":"\"\\\/\b\f\n\r\t"}"#,
        #"{"a":"\u00e9\u4e2d\ud83d\ude00"}"#, #"{"a":"é中😀"}"#, #"{"a":1,"a":2}"#, #"{"a":{"b":{"c":[[[]]]}}}"#,
        #"{"a":"\u0000"}"#, #"{"n":123456789012345678901234567890}"#,
        // refused
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":1e400}"#, #"{"a":"\ud800"}"#,
        #"{"a":"\udc00x"}"#, "{\"a\":\"x\ty\"}", #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":tru}"#, #"{"a":nul}"#,
        #"{"a":1,}"#, #"{"a":1 , }"#, #"{"a":1,,}"#, #"{,}"#, #"{"a" 1}"#, #"{a:1}"#, #"[1,]"#, #"[1,,]"#, #"[,]"#, #"{"a":1}x"#, #"{"a":1"#, #""#, #"   "#, #"{"a":"x"#,
        #"{"a":+1}"#, #"{"a":NaN}"#, #"{'a':1}"#,
    ]

    @Test(arguments: cases) func agreesWithJSONDecoder(_ text: String) {
        let expected = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let actual = Data(text.utf8).withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in try? JSONBodyParser.parse(bytes) }
        #expect(actual == expected, "\(text)")
    }

    @Test func invalidUTF8IsRefused() {
        let bytes: [UInt8] = Array(#"{"a":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect((try? JSONDecoder().decode(JSONValue.self, from: Data(bytes))) == nil)
        let parsed = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in try? JSONBodyParser.parse(raw) }
        #expect(parsed == nil)
    }

    @Test func nestingIsLimited() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let refused = Data(deep.utf8).withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Bool in
            do throws(JSONBodyParser.Failure) { _ = try JSONBodyParser.parse(bytes); return false } catch { return error.message.contains("nested") }
        }
        #expect(refused)
    }
}
