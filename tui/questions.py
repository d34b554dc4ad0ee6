"""The built-in question bank: behavioural interview questions grouped by competency.

Each question asks for one real past situation, which is what the STAR structure
(Situation, Task, Action, Result) answers. Written for Rehearse; free to reuse.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Question:
    competency: str
    text: str


BANK: dict[str, tuple[str, ...]] = {
    "customer focus": (
        "Tell me about a time you went beyond what a customer asked for.",
        "Describe a situation where you had to tell a customer something they did not want to hear.",
        "Give an example of a time you used customer feedback to change how something worked.",
        "Tell me about a time you had to balance what a customer wanted with what the business needed.",
    ),
    "ownership": (
        "Tell me about a time you took on something that was outside your job description.",
        "Describe a problem you noticed that nobody owned, and what you did about it.",
        "Give an example of a time you kept a commitment even though it became much harder than expected.",
        "Tell me about a decision you made on behalf of your team without being asked to.",
    ),
    "conflict": (
        "Tell me about a time you disagreed with your manager. What happened?",
        "Describe a conflict between two colleagues that you helped to resolve.",
        "Give an example of a time you had to work closely with someone you found difficult.",
        "Tell me about a time you received criticism you thought was unfair.",
    ),
    "failure": (
        "Tell me about a time you failed. What did you do next?",
        "Describe a mistake you made that affected other people, and how you handled it.",
        "Give an example of a project that did not go to plan. What would you do differently?",
        "Tell me about a time you missed a goal you had set for yourself.",
    ),
    "leadership": (
        "Tell me about a time you led a team through a difficult change.",
        "Describe a time you had to motivate people who were not reporting to you.",
        "Give an example of how you helped someone on your team grow.",
        "Tell me about a time you had to make an unpopular decision as a leader.",
    ),
    "deadlines": (
        "Tell me about a time you had to deliver under a very tight deadline.",
        "Describe a situation where you had more work than time. How did you prioritise?",
        "Give an example of a time you realised a deadline would be missed. What did you do?",
        "Tell me about a time you had to cut scope to ship on time.",
    ),
    "learning": (
        "Tell me about a time you had to learn something new very quickly.",
        "Describe the most useful feedback you have received and what you changed because of it.",
        "Give an example of a skill you taught yourself to solve a problem at work.",
        "Tell me about a time you changed your mind after learning something new.",
    ),
    "data-driven decisions": (
        "Tell me about a decision you made based on data. How did it turn out?",
        "Describe a time the data contradicted your intuition. What did you do?",
        "Give an example of a time you had to decide without enough data.",
        "Tell me about a metric you introduced or changed, and why.",
    ),
    "teamwork": (
        "Tell me about a time you helped a teammate who was struggling.",
        "Describe a successful project where you relied heavily on other people.",
        "Give an example of a time you put the team's goal ahead of your own.",
        "Tell me about a time you worked with people from a very different discipline.",
    ),
    "influence": (
        "Tell me about a time you convinced people to adopt your idea.",
        "Describe a time you had to persuade a senior stakeholder who disagreed with you.",
        "Give an example of a time you built support for a change without having authority.",
        "Tell me about a time you failed to persuade someone. What did you learn?",
    ),
    "adaptability": (
        "Tell me about a time priorities changed suddenly. How did you adapt?",
        "Describe a situation where you had to work with very unclear requirements.",
        "Give an example of a time you had to change your approach halfway through a project.",
        "Tell me about a time you joined a team or project that was already in trouble.",
    ),
    "innovation": (
        "Tell me about the most creative solution you have come up with at work.",
        "Describe a process you simplified or improved. What was the impact?",
        "Give an example of a time you took a calculated risk.",
        "Tell me about an idea of yours that did not work, and what happened.",
    ),
}

COMPETENCIES: tuple[str, ...] = tuple(BANK)


def all_questions() -> list[Question]:
    return [Question(c, t) for c, texts in BANK.items() for t in texts]


def competency_of(text: str) -> str | None:
    """The competency of a bank question (exact text), or None for the user's own text."""
    wanted = " ".join(text.split()).lower()
    for comp, texts in BANK.items():
        if any(t.lower() == wanted for t in texts):
            return comp
    return None


def random_question(
    rng: random.Random | None = None, competency: str | None = None, exclude: str | None = None
) -> Question:
    pool = [q for q in all_questions() if competency in (None, q.competency) and q.text != exclude]
    return (rng or random).choice(pool)
