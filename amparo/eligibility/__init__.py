"""Eligibility screening as data: HHS poverty tables by year and the rules of a program.

A pure core (no Django): the intake app stores each program's rules and the tables, feeds them
here, and translates the reason codes this package returns into the person's language.
"""
