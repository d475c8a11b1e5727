"""Synthetic credential evaluation set, generated from a format spec written separately from the detector.

Every format below was written from the providers' published token formats (prefix, alphabet, length), not from
ClawGuard's rule table, and is rendered in realistic contexts (env files, YAML, JSON, code, logs, prose).
Hard negatives: wrong length, wrong alphabet, placeholders, variable references, documentation example keys,
hashes, UUIDs, digests, base64 blobs and credential-looking names with non-secret values.

Usage: python3 gen_credentials.py OUT_DIR [--seed N]
Writes OUT_DIR/credentials.txt (one sample per line, PEM samples span lines) and OUT_DIR/labels.jsonl
({"line": first line, "lines": count, "label": 1|0, "kind": ..., "group": ...}).
"""
import argparse
import base64
import json
import os
import random
import string
import uuid

B62 = string.ascii_letters + string.digits
B64U = B62 + "_-"
B64 = B62 + "+/"
HEX = "0123456789abcdef"
HEXU = "0123456789ABCDEF"
UPPER_NUM = string.ascii_uppercase + string.digits
LOWER_NUM = string.ascii_lowercase + string.digits
B32 = string.ascii_uppercase + "234567"
DIG = string.digits
LOWER = string.ascii_lowercase
ALPHA = string.ascii_letters


def r(rng, alphabet, n):
    return "".join(rng.choice(alphabet) for _ in range(n))


def u(rng):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


# kind -> (variable name used in contexts, generator). Generators take rng and return the secret string.
SPEC = {
    "aws-access-key": ("AWS_ACCESS_KEY_ID", lambda g: g.choice(["AKIA", "ASIA"]) + r(g, B32, 16)),
    "aws-secret-access-key": ("AWS_SECRET_ACCESS_KEY", lambda g: r(g, B64, 40)),
    "gcp-api-key": ("GOOGLE_API_KEY", lambda g: "AIza" + r(g, B64U, 35)),
    "gcp-oauth-client-secret": ("GOOGLE_CLIENT_SECRET", lambda g: "GOCSPX-" + r(g, B64U, 28)),
    "google-oauth-access-token": ("access_token", lambda g: "ya29." + r(g, B64U, 120)),
    "azure-storage-account-key": ("AZURE_STORAGE_CONNECTION_STRING",
        lambda g: "DefaultEndpointsProtocol=https;AccountName=" + r(g, LOWER, 10) + ";AccountKey=" + r(g, B64, 86) + "==;EndpointSuffix=core.windows.net"),
    "azure-ad-client-secret": ("AZURE_CLIENT_SECRET", lambda g: r(g, B62, 3) + r(g, DIG, 1) + "Q~" + r(g, B62 + "_~.-", 34)),
    "alibaba-access-key-id": ("ALIBABA_ACCESS_KEY_ID", lambda g: "LTAI" + r(g, B62, 20)),
    "tencent-secret-id": ("TENCENT_SECRET_ID", lambda g: "AKID" + r(g, B62, 32)),
    "digitalocean-pat": ("DIGITALOCEAN_TOKEN", lambda g: "dop_v1_" + r(g, HEX, 64)),
    "heroku-api-key": ("HEROKU_API_KEY", lambda g: u(g)),
    "vault-service-token": ("VAULT_TOKEN", lambda g: "hvs." + r(g, B64U, 91)),
    "terraform-cloud-token": ("TFE_TOKEN", lambda g: r(g, B62, 14) + ".atlasv1." + r(g, B62, 67)),
    "doppler-token": ("DOPPLER_TOKEN", lambda g: "dp.pt." + r(g, B62, 43)),
    "pulumi-access-token": ("PULUMI_ACCESS_TOKEN", lambda g: "pul-" + r(g, HEX, 40)),
    "databricks-token": ("DATABRICKS_TOKEN", lambda g: "dapi" + r(g, HEX, 32)),
    "supabase-access-token": ("SUPABASE_ACCESS_TOKEN", lambda g: "sbp_" + r(g, HEX, 40)),
    "planetscale-token": ("PLANETSCALE_TOKEN", lambda g: "pscale_tkn_" + r(g, B64U, 43)),
    "tailscale-key": ("TS_AUTHKEY", lambda g: "tskey-auth-" + r(g, B62, 12) + "CNTRL-" + r(g, B62, 33)),
    "age-secret-key": ("AGE_KEY", lambda g: "AGE-SECRET-KEY-1" + r(g, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)),
    "github-pat": ("GITHUB_TOKEN", lambda g: "ghp_" + r(g, B62, 36)),
    "github-oauth-token": ("GH_OAUTH", lambda g: "gho_" + r(g, B62, 36)),
    "github-server-to-server-token": ("GH_APP_TOKEN", lambda g: "ghs_" + r(g, B62, 36)),
    "github-fine-grained-pat": ("GITHUB_TOKEN", lambda g: "github_pat_" + r(g, B62, 22) + "_" + r(g, B62, 59)),
    "gitlab-pat": ("GITLAB_TOKEN", lambda g: "glpat-" + r(g, B64U, 20)),
    "gitlab-runner-auth-token": ("RUNNER_TOKEN", lambda g: "glrt-" + r(g, B64U, 20)),
    "gitlab-pipeline-trigger-token": ("TRIGGER_TOKEN", lambda g: "glptt-" + r(g, HEX, 40)),
    "atlassian-api-token": ("JIRA_API_TOKEN", lambda g: "ATATT3" + r(g, B64U, 186)),
    "bitbucket-app-password": ("BITBUCKET_APP_PASSWORD", lambda g: "ATBB" + r(g, B62, 32)),
    "sonarqube-token": ("SONAR_TOKEN", lambda g: "squ_" + r(g, HEX, 40)),
    "buildkite-token": ("BUILDKITE_TOKEN", lambda g: "bkua_" + r(g, HEX, 40)),
    "slack-bot-token": ("SLACK_BOT_TOKEN", lambda g: "xoxb-" + r(g, DIG, 12) + "-" + r(g, DIG, 13) + "-" + r(g, B62, 24)),
    "slack-user-token": ("SLACK_USER_TOKEN", lambda g: "xoxp-" + r(g, DIG, 12) + "-" + r(g, DIG, 12) + "-" + r(g, DIG, 13) + "-" + r(g, HEX, 32)),
    "slack-app-token": ("SLACK_APP_TOKEN", lambda g: "xapp-1-A" + r(g, UPPER_NUM, 10) + "-" + r(g, DIG, 13) + "-" + r(g, HEX, 64)),
    "slack-webhook-url": ("SLACK_WEBHOOK_URL", lambda g: "https://hooks.slack.com/services/T" + r(g, UPPER_NUM, 10) + "/B" + r(g, UPPER_NUM, 10) + "/" + r(g, B62, 24)),
    "discord-webhook-url": ("DISCORD_WEBHOOK", lambda g: "https://discord.com/api/webhooks/" + r(g, DIG, 19) + "/" + r(g, B64U, 68)),
    "telegram-bot-token": ("TELEGRAM_BOT_TOKEN", lambda g: r(g, DIG, 10) + ":AA" + r(g, B64U, 33)),
    "teams-webhook-url": ("TEAMS_WEBHOOK", lambda g: "https://contoso.webhook.office.com/webhookb2/" + u(g) + "@" + u(g) + "/IncomingWebhook/" + r(g, HEX, 32) + "/" + u(g)),
    "twitter-bearer-token": ("TWITTER_BEARER_TOKEN", lambda g: "A" * 22 + r(g, B62 + "%", 80)),
    "sendgrid-api-key": ("SENDGRID_API_KEY", lambda g: "SG." + r(g, B64U, 22) + "." + r(g, B64U, 43)),
    "mailgun-api-key": ("MAILGUN_API_KEY", lambda g: "key-" + r(g, HEX, 32)),
    "mailchimp-api-key": ("MAILCHIMP_API_KEY", lambda g: r(g, HEX, 32) + "-us" + str(g.randint(1, 21))),
    "brevo-api-key": ("BREVO_API_KEY", lambda g: "xkeysib-" + r(g, HEX, 64) + "-" + r(g, B62, 16)),
    "twilio-api-key": ("TWILIO_API_KEY", lambda g: "SK" + r(g, HEX, 32)),
    "twilio-auth-token": ("TWILIO_AUTH_TOKEN", lambda g: r(g, HEX, 32)),
    "stripe-secret-key": ("STRIPE_SECRET_KEY", lambda g: g.choice(["sk_live_", "sk_test_"]) + r(g, B62, g.choice([24, 99]))),
    "stripe-restricted-key": ("STRIPE_RESTRICTED_KEY", lambda g: "rk_live_" + r(g, B62, 24)),
    "stripe-webhook-secret": ("STRIPE_WEBHOOK_SECRET", lambda g: "whsec_" + r(g, B62, 32)),
    "square-access-token": ("SQUARE_ACCESS_TOKEN", lambda g: "EAAA" + r(g, B64U, 60)),
    "square-oauth-secret": ("SQUARE_SECRET", lambda g: "sq0csp-" + r(g, B64U, 43)),
    "braintree-access-token": ("BRAINTREE_TOKEN", lambda g: "access_token$production$" + r(g, LOWER_NUM, 16) + "$" + r(g, HEX, 32)),
    "shopify-access-token": ("SHOPIFY_TOKEN", lambda g: "shpat_" + r(g, HEX, 32)),
    "shopify-shared-secret": ("SHOPIFY_SECRET", lambda g: "shpss_" + r(g, HEX, 32)),
    "flutterwave-secret-key": ("FLW_SECRET_KEY", lambda g: "FLWSECK_TEST-" + r(g, "abcdefgh0123456789", 32) + "-X"),
    "plaid-access-token": ("PLAID_ACCESS_TOKEN", lambda g: "access-sandbox-" + u(g)),
    "openai-api-key": ("OPENAI_API_KEY", lambda g: "sk-proj-" + r(g, B64U, 156)),
    "openai-api-key-legacy": ("OPENAI_API_KEY", lambda g: "sk-" + r(g, B62, 20) + "T3BlbkFJ" + r(g, B62, 20)),
    "anthropic-api-key": ("ANTHROPIC_API_KEY", lambda g: "sk-ant-api03-" + r(g, B64U, 93) + "AA"),
    "openrouter-api-key": ("OPENROUTER_API_KEY", lambda g: "sk-or-v1-" + r(g, HEX, 64)),
    "groq-api-key": ("GROQ_API_KEY", lambda g: "gsk_" + r(g, B62, 52)),
    "xai-api-key": ("XAI_API_KEY", lambda g: "xai-" + r(g, B62, 80)),
    "perplexity-api-key": ("PPLX_API_KEY", lambda g: "pplx-" + r(g, B62, 48)),
    "replicate-api-token": ("REPLICATE_API_TOKEN", lambda g: "r8_" + r(g, B62, 37)),
    "huggingface-token": ("HF_TOKEN", lambda g: "hf_" + r(g, ALPHA, 34)),
    "langsmith-api-key": ("LANGSMITH_API_KEY", lambda g: "lsv2_pt_" + r(g, HEX, 32) + "_" + r(g, HEX, 10)),
    "pinecone-api-key": ("PINECONE_API_KEY", lambda g: "pcsk_" + r(g, B62, 6) + "_" + r(g, B62, 64)),
    "nvidia-api-key": ("NVIDIA_API_KEY", lambda g: "nvapi-" + r(g, B64U, 64)),
    "tavily-api-key": ("TAVILY_API_KEY", lambda g: "tvly-" + r(g, B62, 32)),
    "cohere-api-key": ("COHERE_API_KEY", lambda g: r(g, B62, 40)),
    "npm-access-token": ("NPM_TOKEN", lambda g: "npm_" + r(g, B62, 36)),
    "pypi-upload-token": ("PYPI_TOKEN", lambda g: "pypi-AgEIcHlwaS5vcmc" + r(g, B64U, 140)),
    "rubygems-api-key": ("GEM_HOST_API_KEY", lambda g: "rubygems_" + r(g, HEX, 48)),
    "nuget-api-key": ("NUGET_API_KEY", lambda g: "oy2" + r(g, LOWER_NUM, 43)),
    "dockerhub-pat": ("DOCKERHUB_TOKEN", lambda g: "dckr_pat_" + r(g, B64U, 27)),
    "clojars-token": ("CLOJARS_TOKEN", lambda g: "CLOJARS_" + r(g, LOWER_NUM, 60)),
    "jfrog-api-key": ("ARTIFACTORY_API_KEY", lambda g: "AKCp" + r(g, B62, 69)),
    "grafana-service-account-token": ("GRAFANA_TOKEN", lambda g: "glsa_" + r(g, B62, 32) + "_" + r(g, HEX, 8)),
    "grafana-cloud-token": ("GRAFANA_CLOUD_TOKEN", lambda g: "glc_" + r(g, B64, 112)),
    "newrelic-user-api-key": ("NEW_RELIC_API_KEY", lambda g: "NRAK-" + r(g, UPPER_NUM, 27)),
    "datadog-api-key": ("DD_API_KEY", lambda g: r(g, HEX, 32)),
    "sentry-user-token": ("SENTRY_AUTH_TOKEN", lambda g: "sntryu_" + r(g, HEX, 64)),
    "postman-api-key": ("POSTMAN_API_KEY", lambda g: "PMAK-" + r(g, HEX, 24) + "-" + r(g, HEX, 34)),
    "linear-api-key": ("LINEAR_API_KEY", lambda g: "lin_api_" + r(g, B62, 40)),
    "notion-integration-token": ("NOTION_TOKEN", lambda g: "ntn_" + r(g, DIG, 11) + r(g, B62, 35)),
    "airtable-pat": ("AIRTABLE_TOKEN", lambda g: "pat" + r(g, B62, 14) + "." + r(g, HEX, 64)),
    "figma-pat": ("FIGMA_TOKEN", lambda g: "figd_" + r(g, B64U, 40)),
    "contentful-pat": ("CONTENTFUL_TOKEN", lambda g: "CFPAT-" + r(g, B64U, 43)),
    "hubspot-private-app-token": ("HUBSPOT_TOKEN", lambda g: "pat-na1-" + u(g)),
    "dropbox-short-lived-token": ("DROPBOX_TOKEN", lambda g: "sl." + r(g, B64U, 140)),
    "dynatrace-api-token": ("DT_API_TOKEN", lambda g: "dt0c01." + r(g, UPPER_NUM, 24) + "." + r(g, UPPER_NUM, 64)),
    "easypost-api-key": ("EASYPOST_API_KEY", lambda g: "EZAK" + r(g, B62, 54)),
    "shippo-api-token": ("SHIPPO_TOKEN", lambda g: "shippo_live_" + r(g, HEX, 40)),
    "posthog-personal-api-key": ("POSTHOG_API_KEY", lambda g: "phx_" + r(g, B62, 43)),
    "typeform-pat": ("TYPEFORM_TOKEN", lambda g: "tfp_" + r(g, B64U, 59)),
    "readme-api-key": ("README_API_KEY", lambda g: "rdme_" + r(g, LOWER_NUM, 70)),
    "prefect-api-key": ("PREFECT_API_KEY", lambda g: "pnu_" + r(g, B62, 36)),
    "jwt": ("AUTH_TOKEN", None),  # built below
    "private-key": ("", None),    # built below
    "database-url-password": ("DATABASE_URL", lambda g: g.choice(["postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp"]) + "://" + r(g, LOWER, 6) + ":" + r(g, B62, 16) + "@" + r(g, LOWER, 8) + ".internal:5432/app"),
    "url-basic-auth": ("REPO_URL", lambda g: "https://" + r(g, LOWER, 7) + ":" + r(g, B62, 20) + "@git." + r(g, LOWER, 6) + ".com/org/repo.git"),
    "password": ("DB_PASSWORD", lambda g: r(g, B62, 6) + g.choice("!#%^*-_+") + r(g, B62, 6)),
    "api-key": ("api_key", lambda g: r(g, B62, 32)),
    "secret": ("client_secret", lambda g: r(g, B64U, 40)),
    "token": ("access_token", lambda g: r(g, B62, 40)),
}

# Formats with an exact length (for wrong-length negatives): kind -> (prefix, alphabet, length)
EXACT = {
    "github-pat": ("ghp_", B62, 36), "npm-access-token": ("npm_", B62, 36), "aws-access-key": ("AKIA", B32, 16),
    "gcp-api-key": ("AIza", B64U, 35), "slack-webhook-url": None, "groq-api-key": ("gsk_", B62, 52),
    "huggingface-token": ("hf_", ALPHA, 34), "digitalocean-pat": ("dop_v1_", HEX, 64),
    "shopify-access-token": ("shpat_", HEX, 32), "replicate-api-token": ("r8_", B62, 37),
    "perplexity-api-key": ("pplx-", B62, 48), "linear-api-key": ("lin_api_", B62, 40),
    "dockerhub-pat": ("dckr_pat_", B64U, 27), "sonarqube-token": ("squ_", HEX, 40),
    "figma-pat": ("figd_", B64U, 40), "rubygems-api-key": ("rubygems_", HEX, 48),
    "stripe-webhook-secret": None, "newrelic-user-api-key": ("NRAK-", UPPER_NUM, 27),
    "tavily-api-key": ("tvly-", B62, 32), "databricks-token": ("dapi", HEX, 32),
}


def jwt(g):
    def b64(obj):
        return base64.urlsafe_b64encode(json.dumps(obj, separators=(",", ":")).encode()).rstrip(b"=").decode()
    header = b64({"alg": g.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"})
    payload = b64({"sub": r(g, DIG, 8), "name": r(g, ALPHA, 8), "iat": g.randint(1600000000, 1800000000),
                   "role": g.choice(["admin", "user", "service_role"])})
    sig = base64.urlsafe_b64encode(bytes(g.getrandbits(8) for _ in range(32))).rstrip(b"=").decode()
    return f"{header}.{payload}.{sig}"


def pem(g):
    label = g.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"])
    body = base64.b64encode(bytes(g.getrandbits(8) for _ in range(g.choice([120, 300, 900])))).decode()
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    return [f"-----BEGIN {label}-----"] + lines + [f"-----END {label}-----"]


CONTEXTS = [
    lambda n, s: f"export {n}={s}",
    lambda n, s: f"{n}={s}",
    lambda n, s: f"{n.lower()}: \"{s}\"",
    lambda n, s: f"  \"{n.lower()}\": \"{s}\",",
    lambda n, s: f"{n.lower()} = '{s}'",
    lambda n, s: f"2024-06-01T12:00:00Z INFO loaded config {n}={s} from environment",
]
PREFIXED_PROSE = [
    lambda s: f"Here is the token you asked for: {s} (expires tomorrow)",
    lambda s: f"curl -H 'Authorization: token {s}' https://api.example.com/v1/me",
    lambda s: f"[debug] request headers: {{'x-api-key': '{s}'}}",
]
# Kinds found by their name only (no prefix): only assignment contexts make sense.
NAME_ONLY = {"aws-secret-access-key", "heroku-api-key", "twilio-auth-token", "cohere-api-key", "datadog-api-key",
             "password", "api-key", "secret", "token"}


def negatives(g):
    out = []
    # wrong length and wrong alphabet for exact-length formats
    for kind, spec in EXACT.items():
        if not spec:
            continue
        prefix, alpha, n = spec
        # Neutral contexts: the value is not assigned to a credential-like name, so only the format rule can fire.
        out.append(("wrong-length", f"ref={prefix}{r(g, alpha, n - 3)}"))
        out.append(("wrong-length", f"Build artifact {prefix}{r(g, alpha, n + 4)} uploaded"))
        cut = max(1, n // 3)
        out.append(("wrong-charset", f"id: {prefix}{r(g, alpha, cut)}!{r(g, alpha, n - cut - 1)}"))
    # placeholders
    for p in ["ghp_" + "x" * 36, "sk_live_" + "X" * 24, "AKIA" + "X" * 16, "xoxb-your-bot-token-here",
              "sk-proj-YOUR_API_KEY_HERE_REPLACE_ME_WITH_A_REAL_KEY_0000000000", "<your-github-token>",
              "${GITHUB_TOKEN}", "{{ secrets.NPM_TOKEN }}", "********", "glpat-xxxxxxxxxxxxxxxxxxxx",
              "hf_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "npm_" + "0" * 36, "YOUR_API_KEY", "changeme",
              "sk-ant-api03-" + "x" * 95, "AIza" + "X" * 35, "dop_v1_" + "0" * 64]:
        out.append(("placeholder", f"API_TOKEN={p}"))
        out.append(("placeholder", f"token: \"{p}\""))
    # documented examples
    for ex in ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
               "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
               "sk_test_4eC39HqLyjWDarjtT1zdp7dc"]:
        out.append(("doc-example", f"aws_access_key_id = {ex}"))
        out.append(("doc-example", f"Example from the docs: {ex}"))
    # variable references
    for v in ["os.environ[\"DB_PASSWORD\"]", "${DB_PASSWORD}", "process.env.API_KEY", "settings.SECRET_KEY",
              "getenv('TOKEN')", "{{ .Values.apiKey }}", "$(cat /run/secrets/db)", "vault('secret/data/db')",
              "config.get('password')", "%(password)s"]:
        out.append(("variable-reference", f"password = {v}"))
        out.append(("variable-reference", f"api_key: {v}"))
    # hashes, digests, UUIDs
    for _ in range(30):
        out.append(("hash", f"commit {r(g, HEX, 40)}"))
        out.append(("hash", f"{r(g, HEX, 64)}  release-1.2.3.tar.gz"))
        out.append(("hash", f"\"integrity\": \"sha512-{base64.b64encode(bytes(g.getrandbits(8) for _ in range(64))).decode()}\""))
        out.append(("hash", f"image: registry.example.com/app@sha256:{r(g, HEX, 64)}"))
        out.append(("hash", f"md5: {r(g, HEX, 32)}"))
        out.append(("uuid", f"request_id: {u(g)}"))
        out.append(("uuid", f"  \"id\": \"{u(g)}\","))
        out.append(("uuid", f"trace-id={u(g)} span={r(g, HEX, 16)}"))
    # non-secret values under credential-like names and other look-alikes
    for line in ["max_tokens = 4096", "tokenizer = \"bert-base-uncased\"", "password_file = /etc/app/pass.txt",
                 "token_type: bearer", "secret_name: prod-db-credentials", "api_key_header = \"X-API-Key\"",
                 "password: required", "PASSWORD_MIN_LENGTH=12", "token_url: https://oauth2.example.com/token",
                 "secret: true", "apiKey: string", "password = None", "auth_token_ttl: 3600",
                 "DATABASE_URL=postgres://localhost:5432/app", "REPO=https://github.com/org/repo.git",
                 "postgres://user:${PGPASSWORD}@db:5432/app", "mysql://root:password@localhost/test",
                 "redis://:@localhost:6379/0", "https://user@example.com/path", "version: 1.2.3-beta.4",
                 "data:image/png;base64," + base64.b64encode(bytes(g.getrandbits(8) for _ in range(300))).decode(),
                 "The function sk_test_mode() toggles the sandbox.", "See ghp_ prefix docs for GitHub tokens.",
                 "Use AKIA-style identifiers for access keys.", "session_key_length = 32",
                 "secret_key_base_rotation = false", "x-api-key-format: uuid"]:
        out.append(("look-alike", line))
    for _ in range(40):
        words = " ".join(g.choice(["the", "token", "secret", "build", "cloud", "deploy", "config", "value",
                                   "password", "reset", "user", "key", "api", "server", "request", "update"])
                         for _ in range(g.randint(6, 14)))
        out.append(("prose", words.capitalize() + "."))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--per-kind", type=int, default=6)
    a = ap.parse_args()
    g = random.Random(a.seed)
    samples = []  # (label, kind, group, [lines])
    for kind, (name, gen) in SPEC.items():
        for i in range(a.per_kind):
            if kind == "private-key":
                lines = pem(g)
                if i % 2:
                    lines = ["\"private_key\": \"" + "\\n".join(lines) + "\\n\","]
                samples.append((1, kind, "positive", lines))
                continue
            secret = jwt(g) if kind == "jwt" else gen(g)
            if kind in NAME_ONLY or i < len(CONTEXTS) - 2 or kind in ("jwt", "database-url-password", "url-basic-auth"):
                line = CONTEXTS[i % len(CONTEXTS)](name, secret)
            else:
                line = PREFIXED_PROSE[i % len(PREFIXED_PROSE)](secret)
            samples.append((1, kind, "positive", [line]))
    for group, line in negatives(g):
        samples.append((0, "", group, [line]))
    g.shuffle(samples)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "credentials.txt"), "w") as f, open(os.path.join(a.out, "labels.jsonl"), "w") as lf:
        line_no = 1
        for label, kind, group, lines in samples:
            for l in lines:
                f.write(l + "\n")
            lf.write(json.dumps({"line": line_no, "lines": len(lines), "label": label, "kind": kind, "group": group}) + "\n")
            line_no += len(lines)
    pos = sum(1 for s in samples if s[0] == 1)
    print(f"{len(samples)} samples: {pos} positives over {len(SPEC)} kinds, {len(samples) - pos} hard negatives")


if __name__ == "__main__":
    main()
