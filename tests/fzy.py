"""How Streamlit's select widgets rank options while the user types (filter_mode="fuzzy"), in
Python, so a test can check which option Enter picks without a browser.

A port of the scoring in Streamlit 1.67's frontend (static/js/useSyncComboBoxEnterTargetFocus
*.js: functions hn/gn/_n/vn/xn), which is jhawthorn/fzy's algorithm: an option matches when
the typed text is a subsequence of its label (case-insensitive); matches at the start of a
word and consecutive letters score high, gaps cost a little; options are sorted by score,
stably. Enter picks the first one (multiselect with select_all=False; selectbox unless an
option equals the typed text). The browser test (tests/e2e) checks the real widget.
"""

GAP_LEADING = GAP_TRAILING = -0.005
GAP_INNER = -0.01
CONSECUTIVE = 1.0
INF = float("inf")


def _bonuses(text: str) -> list[float]:
    bonuses, previous = [], "/"
    for char in text:
        if previous == "/":
            bonus = 0.9
        elif previous in "-_ ":
            bonus = 0.8
        elif previous == ".":
            bonus = 0.6
        elif previous.lower() == previous and char.upper() == char:
            bonus = 0.7
        else:
            bonus = 0.0
        bonuses.append(bonus)
        previous = char
    return bonuses


def matches(query: str, label: str) -> bool:
    found, label = 0, label.lower()
    for char in query.lower():
        found = label.find(char, found) + 1
        if found == 0:
            return False
    return True


def score(query: str, label: str) -> float:
    n, m = len(query), len(label)
    if not n or not m:
        return -INF
    if query == label or n == m:
        return INF
    needle, hay, bonus = query.lower(), label.lower(), _bonuses(label)
    best = [[-INF] * m for _ in range(n)]  # best score of needle[:i+1] in hay[:j+1]
    ending = [[-INF] * m for _ in range(n)]  # ... with needle[i] matched at hay[j]
    for i in range(n):
        running, gap = -INF, GAP_TRAILING if i == n - 1 else GAP_INNER
        for j in range(m):
            if needle[i] == hay[j]:
                value = -INF
                if i == 0:
                    value = j * GAP_LEADING + bonus[j]
                elif j:
                    value = max(best[i - 1][j - 1] + bonus[j], ending[i - 1][j - 1] + CONSECUTIVE)
                ending[i][j] = value
                best[i][j] = running = max(value, running + gap)
            else:
                best[i][j] = running = running + gap
    return best[n - 1][m - 1]


def ranked(query: str, labels: list[str]) -> list[str]:
    """The labels the widget lists for `query`, in its order (the first is Enter's pick)."""
    found = [label for label in labels if matches(query, label)]
    return sorted(found, key=lambda label: -score(query, label))
