"""Code bytes per crate of a wasm module, from its name section (rustc's legacy-mangled names).

Usage: python3 wasm_code_by_crate.py MODULE.wasm   (rustc's output before wasm-opt, which drops the names:
~/.cache/faceproof/target-wasm/wasm32-unknown-unknown/wasm-release/faceproof_wasm.wasm after `./x wasm`; it
holds the last flavour built, the CPU-only one, unless the full one is rebuilt last).
Trait impls (`<T as Trait>::f`) count for the crate of T."""
import sys, re, collections
data = open(sys.argv[1], 'rb').read()
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i
i = 8; sections = []
while i < len(data):
    sid = data[i]; size, j = leb(data, i + 1); sections.append((sid, j, size)); i = j + size
imports = 0; bodies = []; names = {}
for sid, off, size in sections:
    if sid == 2:
        n, p = leb(data, off)
        for _ in range(n):
            l, p = leb(data, p); p += l; l, p = leb(data, p); p += l
            kind = data[p]; p += 1
            if kind == 0: _, p = leb(data, p); imports += 1
            elif kind == 1: p += 1; f, p = leb(data, p); _, p = leb(data, p); p = p if not (f & 1) else leb(data, p)[1]
            elif kind == 2: f, p = leb(data, p); _, p = leb(data, p); p = p if not (f & 1) else leb(data, p)[1]
            elif kind == 3: p += 2
    if sid == 10:
        n, p = leb(data, off)
        for _ in range(n):
            l, q = leb(data, p); bodies.append(l + (q - p)); p = q + l
    if sid == 0:
        l, p = leb(data, off); nm = data[p:p + l].decode(); p += l
        if nm == 'name':
            end = off + size
            while p < end:
                sub = data[p]; sl, q = leb(data, p + 1)
                if sub == 1:
                    n, r = leb(data, q)
                    for _ in range(n):
                        idx, r = leb(data, r); l2, r = leb(data, r); names[idx] = data[r:r + l2].decode('utf8', 'replace'); r += l2
                p = q + sl
print('sections:', [(s, z) for s, _, z in sections])
by = collections.Counter()
for k, b in enumerate(bodies):
    n = names.get(imports + k, '?')
    crate = '?'
    m = re.match(r'_ZN(\d+)', n)
    if m:
        l = int(m.group(1)); comp = n[m.end():m.end() + l]
        if comp.startswith('_$LT$'):
            mm = re.search(r'\$LT\$(?:\$RF\$|mut\$u20\$|\$u5b\$)*([a-z_][a-z0-9_]*)', comp)
            crate = mm.group(1) if mm else comp[:30]
        else:
            crate = comp
    else:
        crate = n[:25]
    by[crate] += b
tot = sum(bodies)
print('code bytes', tot, 'functions', len(bodies), 'named', len(names))
for c, b in by.most_common(40): print(f'{b:>9} {100*b/tot:5.1f}% {c}')
