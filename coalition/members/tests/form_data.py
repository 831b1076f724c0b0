"""What the members app's forms post, shared by the tests of what they do: applying to join (and its rate limit,
tested with the sign-up's), editing a profile (and its logo)."""

from __future__ import annotations

# An organisation applying to join at /members/join/.
APPLICATION = {
    "name": "Cluster Watch Laos",
    "type": "ngo",
    "country": "LA",
    "city": "Vientiane",
    "website": "https://clusterwatch.example.org",
    "languages": "Lao, English",
    "description": "We survey contaminated land.",
    "public_email": "info@clusterwatch.example.org",
    "contact_name": "Ana Applicant",
    "contact_email": "Ana@ClusterWatch.example.org",
    "motivation": "To work with the coalition.",
}

# Alpha Aid's editor saving its profile at /members/alpha-aid/edit/ (moved to Bergen).
PROFILE = {
    "name": "Alpha Aid",
    "type": "ngo",
    "country": "NO",
    "city": "Bergen",
    "website": "https://alpha.example.org",
    "description": "Clearance and victim assistance.",
    "languages": "Norwegian, English",
    "contact_email": "post@alpha.example.org",
}
