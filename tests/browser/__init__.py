"""The app in a real Chromium, driven by Playwright.

server.py     `AppServer`: streamlit run on 127.0.0.1, and the /proc readings of its processes
student.py    `Student`: one browser context (one Streamlit session) and what a person does in it
classroom.py  the 8-student scenario, shared by test_classroom.py and bench/bench_classroom.py
conftest.py   the fixtures (Chromium, one server for the session) and when the classroom test runs
"""
