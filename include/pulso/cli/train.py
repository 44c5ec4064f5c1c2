"""`pulso train`: fit the entity's own PQRS model from the office's decisions (and a register).

    pulso train [--register historico.xlsx] [--actor NAME]   # fit, cross-validate, store
    pulso train --list                                      # stored versions and figures
    pulso train --rollback                                  # back to the previous model
    pulso train --activate VERSION | --activate shipped     # choose a version by hand

The new model is stored versioned with its cross-validated figures and becomes active only
when it beats the shipped screener on the entity's held-out labels.
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--register", default=None,
                        help="registro histórico CSV/XLSX con columnas de texto y tipo")
    parser.add_argument("--actor", default="pulso", help="quién entrena (queda en el registro)")
    parser.add_argument("--cv-folds", type=int, default=5, help="pliegues de validación cruzada")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--list", action="store_true", help="lista las versiones guardadas")
    group.add_argument("--rollback", action="store_true",
                       help="vuelve al modelo anterior (o al de Pulso)")
    group.add_argument("--activate", metavar="VERSION", default=None,
                       help="activa una versión guardada ('shipped' = el modelo de Pulso)")
    parser.add_argument("--warehouse-url", default=None,
                        help="URL SQLAlchemy del almacén (por defecto la configurada)")


def _print_models(engine) -> None:  # noqa: ANN001
    from pulso.classify.registry import list_models

    rows = list_models(engine)
    if not rows:
        print("no hay modelos propios: se usa el modelo de Pulso")
    for r in rows:
        f = r["figures"]
        print(f"{'*' if r['active'] else ' '} {r['version']}  {r['created_at']:%Y-%m-%d %H:%M}  "
              f"{r['n_labels']} etiquetas  F1 macro (validación cruzada) {f.get('cv_macro_f1', '-')}"
              f"  modelo de Pulso {f.get('shipped_macro_f1', '-')}")


def run(args: argparse.Namespace) -> int:
    from pulso.classify.registry import RegistryError, activate, rollback, train
    from pulso.context import WarehouseMissing, get_context

    try:
        engine = get_context(args.warehouse_url).engine(create=False)
    except WarehouseMissing as exc:
        print(f"pulso train: {exc}", file=sys.stderr)
        return 2
    try:
        if args.list:
            _print_models(engine)
        elif args.rollback:
            now = rollback(engine)
            print(f"modelo en uso: {now or 'el de Pulso (shipped)'}")
        elif args.activate:
            activate(engine, None if args.activate == "shipped" else args.activate)
            print(f"modelo en uso: {args.activate}")
        else:
            res = train(engine, register=args.register, actor=args.actor, cv_folds=args.cv_folds)
            f = res.figures
            print(f"{res.version}: {res.n_labels} etiquetas {f.get('classes')}")
            print(f"F1 macro en validación cruzada: modelo propio {f.get('cv_macro_f1')}, "
                  f"modelo de Pulso {f.get('shipped_macro_f1')}")
            print("activado: la clasificación diaria lo usará" if res.active else
                  "no supera al modelo de Pulso: guardado sin activar")
    except RegistryError as exc:
        print(f"pulso train: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0
