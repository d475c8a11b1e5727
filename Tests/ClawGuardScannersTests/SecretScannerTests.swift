import Testing
@testable import ClawGuardScanners

/// A credential sample: the kind it must be reported as and the line it appears in.
struct SecretCase: CustomTestStringConvertible, Sendable {
    var kind: String
    var text: String
    var testDescription: String { kind }
}

private func uuid(_ r: inout TestRandom) -> String {
    let h = Alphabet.hex
    return r.string(h, 8) + "-" + r.string(h, 4) + "-4" + r.string(h, 3) + "-a" + r.string(h, 3) + "-" + r.string(h, 12)
}

/// Positive samples, one or more per credential family, in realistic surroundings.
let positiveSecretCases: [SecretCase] = {
    var r = TestRandom(seed: 42)
    let A = Alphabet.self
    var cases: [SecretCase] = []
    func add(_ kind: String, _ text: String) { cases.append(SecretCase(kind: kind, text: text)) }
    add("aws-access-key", "export AWS_ACCESS_KEY_ID=AKIA" + r.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
    add("aws-access-key", "aws_access_key_id = ASIA" + r.string("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16))
    add("aws-secret-access-key", "aws_secret_access_key = " + r.string(A.b64, 40))
    add("aws-secret-access-key", "\"SecretAccessKey\": \"" + r.string(A.b64, 40) + "\"")
    add("gcp-api-key", "const key = 'AIza" + r.string(A.b64u, 35) + "';")
    add("gcp-oauth-client-secret", "client_secret: GOCSPX-" + r.string(A.b64u, 28))
    add("google-oauth-access-token", "Authorization header was ya29." + r.string(A.b64u, 150))
    add("azure-storage-account-key", "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + r.string(A.b64, 86) + "==;EndpointSuffix=core.windows.net")
    add("azure-ad-client-secret", "AZURE_CLIENT_SECRET=" + r.string(A.b62, 3) + "8Q~" + r.string(A.b62, 34))
    add("digitalocean-pat", "token = \"dop_v1_" + r.string(A.hex, 64) + "\"")
    add("heroku-api-key", "HEROKU_API_KEY=" + uuid(&r))
    add("vault-service-token", "VAULT_TOKEN=hvs." + r.string(A.b64u, 91))
    add("terraform-cloud-token", "credentials \"app.terraform.io\" { token = \"" + r.string(A.b62, 14) + ".atlasv1." + r.string(A.b62, 67) + "\" }")
    add("databricks-token", "DATABRICKS_TOKEN=dapi" + r.string(A.hex, 32))
    add("age-secret-key", "AGE-SECRET-KEY-1" + r.string("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58))
    add("github-pat", "git clone https://ghp_" + r.string(A.b62, 36) + "@github.com/org/repo")
    add("github-pat", "GITHUB_TOKEN=ghp_" + r.string(A.b62, 36))
    add("github-oauth-token", "gho_" + r.string(A.b62, 36))
    add("github-server-to-server-token", "token ghs_" + r.string(A.b62, 36))
    add("github-fine-grained-pat", "github_pat_" + r.string(A.b62, 22) + "_" + r.string(A.b62, 59))
    add("gitlab-pat", "GITLAB_TOKEN: glpat-" + r.string(A.b64u, 20))
    add("gitlab-runner-auth-token", "token = \"glrt-" + r.string(A.b64u, 20) + "\"")
    add("atlassian-api-token", "JIRA_TOKEN=ATATT3" + r.string(A.b64u, 186))
    add("slack-bot-token", "SLACK_BOT_TOKEN=xoxb-" + r.string(A.digits, 12) + "-" + r.string(A.digits, 13) + "-" + r.string(A.b62, 24))
    add("slack-user-token", "xoxp-" + r.string(A.digits, 11) + "-" + r.string(A.digits, 12) + "-" + r.string(A.digits, 12) + "-" + r.string(A.hex, 32))
    add("slack-webhook-url", "url: https://hooks.slack.com/services/T" + r.string(A.upperNum, 10) + "/B" + r.string(A.upperNum, 10) + "/" + r.string(A.b62, 24))
    add("discord-webhook-url", "https://discord.com/api/webhooks/" + r.string(A.digits, 18) + "/" + r.string(A.b64u, 68))
    add("telegram-bot-token", "bot" + r.string(A.digits, 10) + ":AA" + r.string(A.b64u, 33))
    add("sendgrid-api-key", "SENDGRID_API_KEY='SG." + r.string(A.b64u, 22) + "." + r.string(A.b64u, 43) + "'")
    add("mailchimp-api-key", "apikey " + r.string(A.hex, 32) + "-us14")
    add("twilio-api-key", "SK" + r.string(A.hex, 32))
    add("stripe-secret-key", "Stripe.apiKey = \"sk_live_" + r.string(A.b62, 24) + "\";")
    add("stripe-secret-key", "sk_test_" + r.string(A.b62, 99))
    add("stripe-webhook-secret", "whsec_" + r.string(A.b62, 32))
    add("square-oauth-secret", "sq0csp-" + r.string(A.b64u, 43))
    add("shopify-access-token", "X-Shopify-Access-Token: shpat_" + r.string(A.hex, 32))
    add("openai-api-key", "OPENAI_API_KEY=sk-proj-" + r.string(A.b64u, 156))
    add("openai-api-key-legacy", "openai.api_key = 'sk-" + r.string(A.b62, 20) + "T3BlbkFJ" + r.string(A.b62, 20) + "'")
    add("anthropic-api-key", "x-api-key: sk-ant-api03-" + r.string(A.b64u, 93) + "AA")
    add("anthropic-oauth-token", "CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-" + r.string(A.b64u, 95))
    add("groq-api-key", "gsk_" + r.string(A.b62, 52))
    add("huggingface-token", "HF_TOKEN=hf_" + r.string(A.alpha, 34))
    add("replicate-api-token", "r8_" + r.string(A.b62, 37))
    add("npm-access-token", "//registry.npmjs.org/:_authToken=npm_" + r.string(A.b62, 36))
    add("pypi-upload-token", "password = pypi-AgEIcHlwaS5vcmc" + r.string(A.b64u, 150))
    add("dockerhub-pat", "echo dckr_pat_" + r.string(A.b64u, 27) + " | docker login -u me --password-stdin")
    add("rubygems-api-key", "rubygems_" + r.string(A.hex, 48))
    add("grafana-service-account-token", "glsa_" + r.string(A.b62, 32) + "_" + r.string(A.hex, 8))
    add("newrelic-user-api-key", "NRAK-" + r.string(A.upperNum, 27))
    add("datadog-api-key", "DD_API_KEY=" + r.string(A.hex, 32))
    add("linear-api-key", "lin_api_" + r.string(A.b62, 40))
    add("postman-api-key", "PMAK-" + r.string(A.hex, 24) + "-" + r.string(A.hex, 34))
    add("hubspot-private-app-token", "pat-na1-" + uuid(&r))
    add("airtable-pat", "pat" + r.string(A.b62, 14) + "." + r.string(A.hex, 64))
    add("database-url-password", "DATABASE_URL=postgres://app:" + r.string(A.b62, 18) + "@db.internal:5432/prod")
    add("database-url-password", "mongodb+srv://svc:" + r.string(A.b62, 16) + "@cluster0.abcde.mongodb.net/test")
    add("url-basic-auth", "remote: https://deploy:" + r.string(A.b62, 20) + "@git.corp.io/org/repo.git")
    add("http-bearer-token", "Authorization: Bearer " + r.string(A.b64u, 48))
    add("password", "DB_PASSWORD=" + r.string(A.b62, 8) + "#" + r.string(A.b62, 5))
    add("password", "  \"password\": \"" + r.string(A.b62, 14) + "\",")
    add("api-key", "api_key = \"" + r.string(A.b62, 32) + "\"")
    add("secret", "client_secret: " + r.string(A.b64u, 40))
    add("token", "\"access_token\": \"" + r.string(A.b62, 40) + "\"")
    return cases
}()

@Suite struct SecretScannerTests {
    @Test(arguments: positiveSecretCases)
    func findsCredential(_ c: SecretCase) {
        let findings = SecretScanner.standard.scan(c.text)
        #expect(findings.map(\.kind).contains(c.kind), "\(c.kind) not found; got \(findings.map(\.kind))")
        for f in findings {
            // The preview never contains the whole secret.
            let secret = String(decoding: Array(c.text.utf8)[f.byteRange], as: UTF8.self)
            #expect(!f.preview.contains(secret))
            #expect(f.preview.count < secret.count + 16)
        }
    }

    @Test func privateKeysInPEMAndEscapedJSON() {
        var r = TestRandom(seed: 7)
        let body = (0..<12).map { _ in r.string(Alphabet.b64, 64) }.joined(separator: "\n")
        for (label, kind) in [("RSA PRIVATE KEY", "rsa-private-key"), ("PRIVATE KEY", "pkcs8-private-key"),
                              ("OPENSSH PRIVATE KEY", "openssh-private-key"), ("EC PRIVATE KEY", "ec-private-key")] {
            let pem = "-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n"
            #expect(secretKinds(pem) == [kind])
            let json = "{\"private_key\": \"" + pem.replacingNewlinesWithEscapes() + "\"}"
            #expect(secretKinds(json).contains(kind), "escaped \(label)")
        }
        // A truncated key (no END line) still counts; a public key or certificate does not.
        #expect(secretKinds("-----BEGIN RSA PRIVATE KEY-----\n" + body) == ["rsa-private-key"])
        #expect(secretKinds("-----BEGIN PUBLIC KEY-----\n\(body)\n-----END PUBLIC KEY-----").isEmpty)
        #expect(secretKinds("-----BEGIN CERTIFICATE-----\n\(body)\n-----END CERTIFICATE-----").isEmpty)
        // Placeholder bodies are not keys.
        #expect(secretKinds("-----BEGIN RSA PRIVATE KEY-----\n" + String(repeating: "A", count: 200) + "\n-----END RSA PRIVATE KEY-----").isEmpty)
        #expect(secretKinds("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----").isEmpty)
    }

    @Test func jwtNeedsAHeaderWithAlg() {
        let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"   // {"alg":"HS256","typ":"JWT"}
        let payload = "eyJzdWIiOiI0MjQyNDI0MiIsInJvbGUiOiJhZG1pbiJ9"
        var r = TestRandom(seed: 9)
        let token = "\(header).\(payload).\(r.string(Alphabet.b64u, 43))"
        #expect(secretKinds("Authorization: Bearer \(token)").contains { $0 == "jwt" || $0 == "http-bearer-token" })
        #expect(secretKinds("cookie=\(token);") == ["jwt"])
        // "eyJ" followed by something that is not a JSON header with "alg".
        let noAlg = "eyJmb28iOiJiYXIifQ.\(payload).\(r.string(Alphabet.b64u, 43))"   // {"foo":"bar"}
        #expect(secretKinds("x \(noAlg) y").isEmpty)
        // The jwt.io documentation example.
        #expect(secretKinds("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c").isEmpty)
    }

    @Test(arguments: [
        // documentation examples and placeholders
        "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "OPENAI_API_KEY=sk-proj-YOUR_API_KEY_HERE_REPLACE_ME_WITH_A_REAL_KEY_0000000000",
        "token: <your-token>",
        "api_key: YOUR_API_KEY",
        "STRIPE_KEY=sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "password = \"changeme\"",
        "password: ********",
        // variable references
        "password = os.environ[\"DB_PASSWORD\"]",
        "PASSWORD=${DB_PASSWORD}",
        "api_key: {{ .Values.apiKey }}",
        "secret = settings.SECRET_KEY",
        "token = process.env.GITHUB_TOKEN",
        "password: $(cat /run/secrets/db)",
        // hashes, UUIDs, digests
        "commit 3f9a2b1c4d5e6f708192a3b4c5d6e7f8091a2b3c",
        "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "request_id: 1b4e28ba-2fa1-41d2-883f-0016d3cca427",
        "image: app@sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
        "\"integrity\": \"sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==\"",
        // names that are about credentials, not credentials
        "max_tokens = 4096",
        "tokenizer = \"bert-base-uncased\"",
        "password_file = /etc/app/pass.txt",
        "token_type: bearer",
        "secret_name: prod-db-credentials",
        "password: required",
        "token_url: https://oauth2.example.com/token",
        "PASSWORD_MIN_LENGTH=12",
        // URLs without real passwords
        "DATABASE_URL=postgres://localhost:5432/app",
        "postgres://user:${PGPASSWORD}@db:5432/app",
        "mysql://root:password@localhost/test",
        "http://localhost:8080/path",
        "https://user@example.com/repo.git",
        // wrong length / wrong alphabet
        "ref ghp_abcDEF123456789012345678901234",
        "id ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7",
        "AKIA1234567890ABCDEFGH12",
        "xoxb-nope",
        "sk_live_short",
        // code that mentions credentials without containing one
        "password = str(password)",
        "passphrase: Optional[bytes],",
        "private_key = rsa.key.PrivateKey.load_pkcs1(data)",
        "headers = {\"X-aws-ec2-metadata-token\": imdsv2_session_token}",
        "assert url.password == \"a secret value\"",
        "self.passwords: Dict[str, AuthInfo] = {}",
        "PrivateKeyInfo = rfc5958.PrivateKeyInfo",
        "token = b64encode(userpass).decode()",
        // prose
        "The token is stored in the keychain; the password is never logged.",
        "Use an API key from the dashboard and keep it secret.",
    ])
    func ignoresNonSecret(_ text: String) {
        #expect(SecretScanner.standard.scan(text).isEmpty, "\(SecretScanner.standard.scan(text).map(\.rule))")
    }

    @Test func reportsLineAndColumnInScalars() {
        var r = TestRandom(seed: 3)
        let token = "ghp_" + r.string(Alphabet.b62, 36)
        let text = "first line\nsecond ✓ line: \(token)\nthird"
        let f = SecretScanner.standard.scan(text)
        #expect(f.count == 1)
        #expect(f.first?.line == 2)
        #expect(f.first?.column == 16)   // "second ✓ line: " is 15 scalars
        let range = f[0].byteRange
        #expect(String(decoding: Array(text.utf8)[range], as: UTF8.self) == token)
    }

    @Test func fingerprintsAreStableAndAllowlistable() {
        var r = TestRandom(seed: 5)
        let text = "GITHUB_TOKEN=ghp_" + r.string(Alphabet.b62, 36)
        let a = SecretScanner.standard.scan(text)
        let b = SecretScanner.standard.scan("other prefix\n" + text)
        #expect(a.count == 1 && b.count == 1)
        #expect(a[0].fingerprint == b[0].fingerprint)
        #expect(a[0].tag.count == 4)
        let allowing = SecretScanner(configuration: .init(allowedFingerprints: [a[0].fingerprint]))
        #expect(allowing.scan(text).isEmpty)
        let withoutRule = SecretScanner(configuration: .init(disabledRules: ["github-pat"]))
        #expect(withoutRule.scan(text).isEmpty || withoutRule.scan(text).allSatisfy { $0.rule != "github-pat" })
    }

    @Test func specificRuleBeatsGenericOnOverlap() {
        var r = TestRandom(seed: 11)
        let f = SecretScanner.standard.scan("api_key = \"ghp_" + r.string(Alphabet.b62, 36) + "\"")
        #expect(f.map(\.kind) == ["github-pat"])
    }

    @Test func manyFindingsInOneText() {
        var r = TestRandom(seed: 13)
        var lines: [String] = []
        for _ in 0..<500 { lines.append("GITHUB_TOKEN=ghp_" + r.string(Alphabet.b62, 36)) }
        let f = SecretScanner.standard.scan(lines.joined(separator: "\n"))
        #expect(f.count == 500)
        #expect(f.map(\.line) == Array(1...500))
    }
}

extension String {
    func replacingNewlinesWithEscapes() -> String {
        var out = ""
        for c in self { if c == "\n" { out += "\\n" } else { out.append(c) } }
        return out
    }
}
