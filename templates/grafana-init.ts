// The Grafana init container's shell script (reset token, admin password, datasource provisioning) and the
// Lakerunner datasource plugin it provisions. Plain POSIX sh and awk: it runs in the Grafana
// image itself (busybox on Alpine, dash/mawk on Ubuntu), so no extra image is pulled.

export const DATASOURCE_PLUGIN_ID = 'cardinalhq-lakerunner-datasource';
export const DATASOURCE_PLUGIN_VERSION = '1.2.0-rc.20';
export const DATASOURCE_PLUGIN_URL = `https://github.com/cardinalhq/${DATASOURCE_PLUGIN_ID}/releases/download/v${DATASOURCE_PLUGIN_VERSION}/${DATASOURCE_PLUGIN_ID}.zip`;
/** GF_PLUGINS_PREINSTALL_SYNC entry: `<id>@<version>@<url>` (Grafana 12.1+ installs it before starting). */
export const DATASOURCE_PLUGIN_PREINSTALL = `${DATASOURCE_PLUGIN_ID}@${DATASOURCE_PLUGIN_VERSION}@${DATASOURCE_PLUGIN_URL}`;

/** Name of the file, inside Grafana's data directory, that remembers the last applied reset token. */
export const RESET_TOKEN_FILE = '.lakerunner-reset-token';
/** Provisioning file the script writes under `$GF_PATHS_PROVISIONING/datasources/`. */
export const DATASOURCE_FILE = 'lakerunner.yaml';

/**
 * Prints the first item of the first `keys:` list in the API-keys YAML on stdin: block lists,
 * flow lists and the single-line JSON form, with or without quotes. Quote characters are passed
 * in as variables because the whole script travels inside single quotes.
 */
const FIRST_API_KEY_AWK = String.raw`
function unquote(s,   first) {
  sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s)
  first = substr(s, 1, 1)
  if (length(s) >= 2 && (first == dq || first == sq) && substr(s, length(s), 1) == first) {
    s = substr(s, 2, length(s) - 2)
    if (first == sq) gsub(sq sq, sq, s)
    else { gsub(/\\"/, dq, s); gsub(/\\\\/, "\\", s) }
  }
  return s
}
{
  line = $0
  sub(/\r$/, "", line)
  sub(/[ \t]#.*$/, "", line)
  probe = line
  gsub(sq, dq, probe)
}
!found && match(probe, /(^|[ \t{,-])"?keys"?[ \t]*:/) {
  found = 1
  rest = substr(line, RSTART + RLENGTH)
  if (rest ~ /^[ \t]*\[/) {
    sub(/^[ \t]*\[/, "", rest)
    sub(/[],].*$/, "", rest)
    print unquote(rest)
    exit
  }
  if (rest ~ /[^ \t]/) exit
  next
}
found && line !~ /^[ \t]*$/ {
  if (match(line, /^[ \t]*-[ \t]*/)) print unquote(substr(line, RLENGTH + 1))
  exit
}`;

/**
 * Runs as root before Grafana (ECS DependsOn SUCCESS), with these variables:
 * - GF_PATHS_DATA: Grafana's data directory (EFS); GF_PATHS_PROVISIONING: the provisioning
 *   volume shared with the Grafana container;
 * - RESET_TOKEN: the GrafanaResetToken parameter; a non-empty value different from the one
 *   remembered in the data directory wipes the data once, then is remembered;
 * - GF_SECURITY_ADMIN_PASSWORD: the admin password from Secrets Manager (an ECS secret), set on
 *   Grafana's existing database at every start through `grafana cli` and stdin; never printed;
 * - QUERY_API_URL: the query API base URL; API_KEYS_ENV: the API-keys YAML (an ECS secret),
 *   whose first key the datasource sends. The key is never printed.
 */
export const GRAFANA_INIT_SCRIPT = `set -eu
data="\${GF_PATHS_DATA:-/var/lib/grafana}"
provisioning="\${GF_PATHS_PROVISIONING:-/etc/grafana/provisioning}"
token="\${RESET_TOKEN:-}"
token_file="$data/${RESET_TOKEN_FILE}"

case "$data" in
  /?*/?*) ;;
  *) echo "grafana-init: refusing to use data directory '$data'" >&2; exit 1 ;;
esac
mkdir -p "$data"

if [ -n "$token" ]; then
  last=""
  if [ -f "$token_file" ]; then last="$(cat "$token_file")"; fi
  if [ "$token" = "$last" ]; then
    echo "grafana-init: reset token already applied; keeping Grafana data"
  else
    echo "grafana-init: new reset token; wiping Grafana data in $data"
    rm -rf "$data"/* "$data"/.[!.]* "$data"/..?*
    printf '%s' "$token" > "$token_file.tmp"
    mv "$token_file.tmp" "$token_file"
  fi
fi

# Grafana keeps its admin password in its database on EFS, while a recreated stack generates a new
# secret: taking the password from the secret at every start keeps the one in Secrets Manager valid.
# A new (or just wiped) data directory has no database yet: Grafana creates the admin from it itself.
if [ ! -f "$data/grafana.db" ]; then
  echo "grafana-init: new Grafana data; Grafana creates the admin user with the password from Secrets Manager"
elif [ -z "\${GF_SECURITY_ADMIN_PASSWORD:-}" ]; then
  echo "grafana-init: no admin password given; the admin password stays as it is" >&2
elif ! command -v grafana >/dev/null 2>&1; then
  echo "grafana-init: this image has no grafana command; the admin password stays as it is" >&2
elif printf '%s' "$GF_SECURITY_ADMIN_PASSWORD" | grafana cli --homepath "\${GF_PATHS_HOME:-/usr/share/grafana}" --config "\${GF_PATHS_CONFIG:-/etc/grafana/grafana.ini}" admin reset-admin-password --password-from-stdin; then
  echo "grafana-init: set the admin password from Secrets Manager"
else
  echo "grafana-init: grafana cli could not set the admin password; the one in Secrets Manager may not work until it can" >&2
fi

key="$(printf '%s\\n' "\${API_KEYS_ENV:-}" | awk -v dq='"' -v sq="'" '${FIRST_API_KEY_AWK}')"
if [ -z "$key" ]; then
  echo "grafana-init: no API key found in API_KEYS_ENV; the datasource is provisioned without one" >&2
fi

yaml_value() {
  printf "'%s'" "$(printf '%s' "$1" | sed -e "s/'/''/g" -e 's/[$]/$$/g')"
}

# The volume hides the image's own provisioning tree; recreate its folders so Grafana finds them.
for dir in datasources dashboards plugins alerting notifiers access-control; do mkdir -p "$provisioning/$dir"; done
target="$provisioning/datasources/${DATASOURCE_FILE}"
umask 022
{
  echo "apiVersion: 1"
  echo "datasources:"
  echo "  - name: Lakerunner"
  echo "    uid: lakerunner"
  echo "    type: ${DATASOURCE_PLUGIN_ID}"
  echo "    access: proxy"
  echo "    isDefault: true"
  echo "    editable: true"
  echo "    jsonData:"
  echo "      customPath: $(yaml_value "\${QUERY_API_URL:-}")"
  if [ -n "$key" ]; then
    echo "    secureJsonData:"
    echo "      apiKey: $(yaml_value "$key")"
  fi
} > "$target.tmp"
mv "$target.tmp" "$target"
echo "grafana-init: provisioned the Lakerunner datasource for \${QUERY_API_URL:-<no query API URL>}"
`;
