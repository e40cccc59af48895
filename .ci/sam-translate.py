#!/usr/bin/env python3
"""Translate template.yaml as `sam deploy` would, offline, and print the CloudFormation JSON.

`sam package` replaces each local CodeUri with the S3 location it uploads the jar to; this does
the same with s3://local-build/<path>, so the output's Code.S3Key is the jar's path in the project.
Usage: sam-translate.py TEMPLATE [NAME=VALUE ...] (parameter values, as `sam deploy` passes them).
"""
import json
import logging
import sys

import boto3
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator
from samtranslator.yaml_helper import yaml_parse

REGION = "eu-west-1"


def main(argv):
    logging.disable(logging.WARNING)  # the translator's notes on feature toggles
    with open(argv[1], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties") or {}
        code = props.get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(code, str):
            if not code.startswith("s3://"):
                props["CodeUri"] = "s3://local-build/" + code
    parameters = dict(a.split("=", 1) for a in argv[2:])
    parameters.setdefault("AWS::AccountId", "123456789012")
    parameters.setdefault("AWS::StackName", "custodian-check")
    # No AWS call is made: the region comes from this session, managed policies are named by ARN.
    translator = Translator(None, Parser(), boto_session=boto3.Session(region_name=REGION))
    try:
        out = translator.translate(template, parameters, get_managed_policy_map=lambda: {})
    except InvalidDocumentException as e:
        for cause in e.causes:
            print(cause.message, file=sys.stderr)
        return 2
    json.dump(out, sys.stdout, indent=1, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
