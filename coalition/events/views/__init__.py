"""The events pages: public (`public.py`), organisers' (`organisers.py`) and staff's (`staff.py`)."""
