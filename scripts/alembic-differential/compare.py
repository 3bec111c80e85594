"""Random revision graphs (branches, merges, depends_on, labels) and command sequences (absolute,
relative and label targets, stamps), run through Alembic and pgmig; prints each case where the
version rows differ, or where one refuses and the other answers.
    compare.py FIRST_SEED COUNT ALEMBIC_PYTHON PGMIG_DRIVER"""
import random
import subprocess
import sys

first, count, python, driver = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
here = sys.path[0]
row_diffs = refusals = guesses = 0
for seed in range(first, first + count):
    rnd = random.Random(seed)
    ids, lines, parents, labels = [], [], {}, []
    for k in range(rnd.randint(4, 9)):
        rev = "r%d%sx" % (k, rnd.choice("abc"))  # 4+ characters: Alembic matches prefixes of those
        heads = [x for x in ids if not any(x in parents[y] for y in ids)]
        u = rnd.random()
        if not ids or u < 0.12:
            p = []
        elif u < 0.3 and len(heads) >= 2:
            p = rnd.sample(heads, 2)
        else:
            p = [rnd.choice(ids)]
        deps = [rnd.choice(ids)] if ids and rnd.random() < 0.5 else []
        deps = [d for d in deps if d not in p]
        label = ["L%d" % k] if not p else []
        labels += label
        parents[rev] = p
        lines.append("rev %s %s %s %s" % (rev, ",".join(p) or "-", ",".join(deps) or "-",
                                          ",".join(label) or "-"))
        ids.append(rev)
    for _ in range(rnd.randint(3, 8)):
        c = rnd.random()
        relative = ["up +1", "up +2", "down -1", "down -2", "up %s+1" % rnd.choice(ids),
                    "down %s-1" % rnd.choice(ids)]
        if labels:
            relative += ["up %s@+1" % rnd.choice(labels), "down %s@-1" % rnd.choice(labels)]
        if c < 0.25:
            lines.append("up " + rnd.choice(ids))
        elif c < 0.35:
            lines.append(rnd.choice(relative))
        elif c < 0.45:
            lines.append("up heads")
        elif c < 0.75:
            lines.append("down " + rnd.choice(ids))
        elif c < 0.8:
            lines.append(rnd.choice(["down base", "stamp " + rnd.choice(ids), "stamp heads"]))
        elif c < 0.9 and labels:
            lines.append("up %s@head" % rnd.choice(labels))
        else:
            lines.append("up " + rnd.choice(ids)[:2])
    case = "\n".join(lines) + "\n"
    alembic = subprocess.run([python, here + "/alembic_driver.py"], input=case,
                             capture_output=True, text=True).stdout.splitlines()
    pgmig = subprocess.run([driver], input=case, capture_output=True, text=True).stdout.splitlines()
    commands = [l for l in lines if not l.startswith("rev")]
    # After the first difference the two databases are in different states: stop there.
    for k, (a, p) in enumerate(zip(alembic, pgmig)):
        if a != p:
            refused = "ERR" in (a, p)
            # `downgrade -N` from several rows: Alembic takes the first row its table returns
            # (and warns); pgmig answers only when the N revisions are unique (design.md).
            several_rows = k > 0 and len(pgmig[k - 1].split()) > 1
            guessed = several_rows and commands[k].split()[1].split("@")[-1].startswith("-")
            if guessed:
                guesses += 1
                break
            row_diffs += not refused
            refusals += refused
            print(f"seed {seed}: after '{commands[k]}' Alembic: {a.strip() or 'base'} "
                  f"pgmig: {p.strip() or 'base'}")
            if not refused:
                print(case)
            break
print(f"{count} cases: {row_diffs} with different rows, {refusals} where one tool refused, "
      f"{guesses} where Alembic chose a row for -N")
