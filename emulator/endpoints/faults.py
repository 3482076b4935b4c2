"""``/_emulator/faults``: install, list and remove fault rules (see ``emulator.fault_rules``).

``POST`` takes one rule or a list (all installed, or none when one is malformed: 400
naming the field) and answers the installed rules with their ids; ``GET`` lists every
rule with its counts; ``DELETE`` removes one rule, or all of them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.endpoints.bodies import json_body
from emulator.endpoints.errors import bad_request, error_response
from emulator.fault_rules import parse_rules
from emulator.state import state_of


async def add_faults(request: Request) -> Response:
    """Install one rule or a list of them."""
    try:
        specs = parse_rules(await json_body(request))
        added = state_of(request.app).faults.add(specs)
    except ValueError as error:
        return bad_request(str(error))
    return JSONResponse([rule.as_dict() for rule in added])


async def list_faults(request: Request) -> Response:
    """Every rule, in order, with ``matched``, ``fired`` and ``active``."""
    return JSONResponse([rule.as_dict() for rule in state_of(request.app).faults.all()])


async def clear_faults(request: Request) -> Response:
    """Remove every rule."""
    state_of(request.app).faults.clear()
    return JSONResponse({"status": "ok"})


async def remove_fault(request: Request) -> Response:
    """Remove the rule with this id."""
    rule_id = request.path_params["rule_id"]
    if not state_of(request.app).faults.remove(rule_id):
        return error_response(404, f"no fault rule with id {rule_id!r}")
    return JSONResponse({"status": "ok"})


ROUTES = [
    Route("/_emulator/faults", add_faults, methods=["POST"]),
    Route("/_emulator/faults", list_faults, methods=["GET"]),
    Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
    Route("/_emulator/faults/{rule_id}", remove_fault, methods=["DELETE"]),
]
